import pytest
from playwright.sync_api import expect
from tests.browser.test_body_editor import log_in, open_form
from tests.browser.test_body_editor import draft, reporter  # noqa
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_debug(live_server, page, reporter, draft, console_errors):
    page.on("console", lambda m: print("CONSOLE", m.type, m.text[:300]))
    page.on("pageerror", lambda e: print("PAGEERROR", e, e.stack[:1500] if e.stack else ""))
    page.add_init_script("document.addEventListener('prose-editor:ready', e => { window.__ed = e.detail.editor })")
    log_in(page, live_server, reporter)
    editor = open_form(page, live_server, draft)
    toolbar = page.get_by_role("toolbar", name="Textformatierung")
    editor.click()
    toolbar.get_by_role("button", name="Faktenliste einfügen").click()
    page.keyboard.type("In Zahlen")
    page.keyboard.press("ArrowDown")
    print("SEL", page.evaluate("JSON.stringify([__ed.state.selection.toJSON(), __ed.view.composing, __ed.state.selection.$from.parent.type.name])"))
    page.keyboard.type("e")
    print("SEL2", page.evaluate("JSON.stringify([__ed.state.selection.toJSON(), __ed.view.composing, __ed.getHTML()])"))
    print("TA", page.locator("#id_body").input_value())
    page.keyboard.press("Enter")
    print("SEL3", page.evaluate("JSON.stringify([__ed.state.selection.toJSON(), __ed.getHTML()])"))
    page.evaluate("try { __ed.getHTML() } catch(e) { console.log('GETHTML', e.stack) }")
