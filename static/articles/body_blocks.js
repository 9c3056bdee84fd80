// The body's elements in the editor (django-prose-editor's custom
// extensions, listed in settings.DJANGO_PROSE_EDITOR_EXTENSIONS): info box,
// fact list, quote and embed, each a Tiptap node with a toolbar button.
//
// Each node writes exactly the stored form articles/sanitising.py allows
// (BLOCKS) and reads it back, so a body saved, reopened and edited again
// keeps every element. Readers get them from articles/public/body_blocks.py.
// Labels are German; the toolbar buttons are plain buttons with a name, the
// embed dialog a labelled <dialog> with its error read out (role="alert").
import { Node, mergeAttributes, pm } from "django-prose-editor/editor"

// Enter at the end of an element's part (a title, a quote, who said it)
// goes on to the next part, and from the last part to the text after the
// element, instead of splitting the part in two.
function enterMovesOn(name) {
  return ({ editor }) => {
    const { state, view } = editor
    const { $from, empty } = state.selection
    if (!empty || $from.parent.type.name !== name) return false
    const element = $from.depth - 1
    const last = $from.index(element) === $from.node(element).childCount - 1
    const after = last ? $from.after(element) : $from.after()
    const tr = state.tr
    if (last && after >= tr.doc.content.size) {
      tr.insert(after, state.schema.nodes.paragraph.create())
    }
    const next = pm.state.TextSelection.findFrom(tr.doc.resolve(after), 1, true)
    if (next) tr.setSelection(next)
    view.dispatch(tr.scrollIntoView())
    return true
  }
}

// Enter in an empty last paragraph of a box leaves the box (as Enter on an
// empty point ends a list): the paragraph moves behind it.
function enterLeavesBox(name) {
  return ({ editor }) => {
    const { state, view } = editor
    const { $from, empty } = state.selection
    if (!empty || $from.depth < 2 || $from.node(-1).type.name !== name) return false
    const box = $from.node(-1)
    const last = $from.index(-1) === box.childCount - 1
    // A box keeps its title and at least one block.
    if (!last || box.childCount < 3 || $from.parent.content.size) return false
    if ($from.parent.type.name !== "paragraph") return false
    const tr = state.tr.delete($from.before(), $from.after())
    const after = tr.mapping.map($from.after(-1))
    tr.insert(after, state.schema.nodes.paragraph.create())
    tr.setSelection(pm.state.TextSelection.create(tr.doc, after + 1))
    view.dispatch(tr.scrollIntoView())
    return true
  }
}

// The title of an info box or fact list: its first line, an h3, plain text.
export const BlockTitle = Node.create({
  name: "blockTitle",
  content: "text*",
  marks: "",
  defining: true,
  // Before the Heading extension's h3, but only inside a box.
  priority: 1000,
  parseHTML() {
    return [{ tag: "h3", context: "infoBox/|factList/" }]
  },
  renderHTML() {
    return ["h3", 0]
  },
  addKeyboardShortcuts() {
    return { Enter: enterMovesOn(this.name) }
  },
})

// Puts the cursor into the first text of the node just inserted before it.
function focusInserted(name) {
  return ({ tr, dispatch }) => {
    let found = null
    tr.doc.descendants((node, pos) => {
      if (node.type.name === name && pos < tr.selection.from) found = pos
    })
    if (found !== null && dispatch) {
      tr.setSelection(pm.state.TextSelection.near(tr.doc.resolve(found + 2)))
    }
    return true
  }
}

// Where a new element goes: at the cursor in running text; after the box,
// list or table the cursor is in (never splitting it in two); after a
// selected element (never replacing it).
function insertContent(editor, content) {
  const { selection } = editor.state
  let at = null
  if (selection.node) at = selection.to
  else if (selection.$from.depth > 1) at = selection.$from.after(1)
  const chain = editor.chain().focus()
  return at === null ? chain.insertContent(content) : chain.insertContentAt(at, content)
}

// A toolbar button that inserts an empty element (`content`) where the
// cursor is and puts the cursor into its first part.
function boxMenuItem(menu, buttons, label, icon, content) {
  menu.defineItem({
    name: content.type,
    groups: "bodyBlocks",
    command: (editor) =>
      insertContent(editor, content).command(focusInserted(content.type)).run(),
    button: buttons.material(icon, label),
  })
}

export const InfoBox = Node.create({
  name: "infoBox",
  group: "block",
  content: "blockTitle (paragraph | bulletList | orderedList)+",
  defining: true,
  isolating: true,
  parseHTML() {
    return [{ tag: 'div[data-block="infobox"]' }]
  },
  addKeyboardShortcuts() {
    return { Enter: enterLeavesBox(this.name) }
  },
  renderHTML() {
    return ["div", { "data-block": "infobox" }, 0]
  },
  addMenuItems({ menu, buttons }) {
    boxMenuItem(menu, buttons, "Info-Kasten einfügen", "info", {
      type: "infoBox",
      content: [{ type: "blockTitle" }, { type: "paragraph" }],
    })
  },
})

export const FactList = Node.create({
  name: "factList",
  group: "block",
  // Mostly one bullet list; any list type and text, so that the toolbar's
  // list buttons (which convert lists in place) stay valid inside it.
  content: "blockTitle (bulletList | orderedList | paragraph)+",
  defining: true,
  isolating: true,
  parseHTML() {
    return [{ tag: 'div[data-block="factlist"]' }]
  },
  addKeyboardShortcuts() {
    return { Enter: enterLeavesBox(this.name) }
  },
  renderHTML() {
    return ["div", { "data-block": "factlist" }, 0]
  },
  addMenuItems({ menu, buttons }) {
    boxMenuItem(menu, buttons, "Faktenliste einfügen", "fact_check", {
      type: "factList",
      content: [
        { type: "blockTitle" },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph" }] }] },
      ],
    })
  },
})

// A quote with who said it: <figure data-block="quote"><blockquote>…
// </blockquote><figcaption>…</figcaption></figure>.
export const QuoteText = Node.create({
  name: "quoteText",
  content: "inline*",
  defining: true,
  priority: 1000, // before Blockquote's rule, inside a quote only
  parseHTML() {
    return [{ tag: "blockquote", context: "pullQuote/" }]
  },
  renderHTML() {
    return ["blockquote", 0]
  },
  addKeyboardShortcuts() {
    return { Enter: enterMovesOn(this.name) }
  },
})

export const QuoteSource = Node.create({
  name: "quoteSource",
  content: "text*",
  marks: "",
  defining: true,
  priority: 1000,
  parseHTML() {
    return [{ tag: "figcaption", context: "pullQuote/" }]
  },
  renderHTML() {
    return ["figcaption", 0]
  },
  addKeyboardShortcuts() {
    return { Enter: enterMovesOn(this.name) }
  },
})

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "quoteText quoteSource",
  defining: true,
  isolating: true,
  parseHTML() {
    return [{ tag: 'figure[data-block="quote"]' }]
  },
  renderHTML() {
    return ["figure", { "data-block": "quote" }, 0]
  },
  addMenuItems({ menu, buttons }) {
    boxMenuItem(menu, buttons, "Zitat mit Quelle einfügen", "record_voice_over", {
      type: "pullQuote",
      content: [{ type: "quoteText" }, { type: "quoteSource" }],
    })
  },
})

// The embed dialog: the reporter pastes the address; the server says from
// the address alone whether and from whom it can be embedded
// (articles/admin/body_editor.py embed_check, the same rule as the save).
function askForEmbed(editor, current) {
  const textarea = editor.options.element.closest(".prose-editor")?.querySelector("textarea")
    || document.querySelector("textarea[data-embed-check-url]")
  const checkUrl = textarea?.dataset.embedCheckUrl
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog")
    dialog.className = "prose-editor-dialog body-blocks-dialog"
    dialog.setAttribute("aria-labelledby", "embed-dialog-title")
    dialog.innerHTML = `
      <form method="dialog">
        <h2 id="embed-dialog-title">Inhalt einbetten</h2>
        <p id="embed-dialog-help">Adresse des Beitrags einfügen, z. B. ein
          YouTube-Video, ein Beitrag auf X, Instagram, TikTok, Facebook, Bluesky
          oder Mastodon, eine Grafik von Datawrapper oder Flourish, eine Folge bei
          Spotify oder Apple Podcasts, eine Karte von OpenStreetMap oder Google Maps.</p>
        <div class="prose-editor-dialog-field">
          <label for="embed-dialog-url">Adresse (URL) des Inhalts</label>
          <input id="embed-dialog-url" name="url" type="url" size="50" required
            aria-describedby="embed-dialog-help embed-dialog-error">
        </div>
        <p id="embed-dialog-error" class="errornote" role="alert" hidden></p>
        <div class="prose-editor-dialog-buttons">
          <button type="submit" class="prose-editor-primary">Einbetten</button>
          <button type="button" class="prose-editor-cancel" value="cancel">Abbrechen</button>
        </div>
      </form>`
    const input = dialog.querySelector("input")
    const error = dialog.querySelector("[role=alert]")
    input.value = current?.url || ""
    let result = null
    dialog.querySelector(".prose-editor-cancel").addEventListener("click", () => dialog.close())
    dialog.querySelector("form").addEventListener("submit", async (event) => {
      event.preventDefault()
      error.hidden = true
      let answer
      try {
        const response = await fetch(
          `${checkUrl}?${new URLSearchParams({ url: input.value })}`,
          { headers: { Accept: "application/json" }, credentials: "same-origin" }
        )
        answer = await response.json()
      } catch (failure) {
        answer = { error: "Die Adresse konnte nicht geprüft werden. Bitte noch einmal versuchen." }
      }
      if (answer.error) {
        error.textContent = answer.error
        error.hidden = false
        input.setAttribute("aria-invalid", "true")
        input.focus()
        return
      }
      result = { provider: answer.provider, id: answer.id, url: answer.url, name: answer.name }
      dialog.close()
    })
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(result)
    })
    // Keys typed in the dialog are not the editor's (Enter would split the
    // paragraph behind it).
    dialog.addEventListener("keydown", (event) => event.stopPropagation())
    document.body.append(dialog)
    dialog.showModal()
    input.focus()
  })
}

const PROVIDER_NAMES = {
  youtube: "YouTube", vimeo: "Vimeo", x: "X", instagram: "Instagram", tiktok: "TikTok",
  facebook: "Facebook", bluesky: "Bluesky", mastodon: "Mastodon", datawrapper: "Datawrapper",
  flourish: "Flourish", "dpa-webgrafik": "dpa-Webgrafik", spotify: "Spotify",
  "apple-podcasts": "Apple Podcasts", openstreetmap: "OpenStreetMap", "google-maps": "Google Maps",
}

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes() {
    const data = (name) => ({
      default: "",
      parseHTML: (element) => element.getAttribute(`data-${name}`) || "",
      renderHTML: (attributes) => ({ [`data-${name}`]: attributes[name] }),
    })
    return { provider: data("provider"), id: data("id"), url: data("url") }
  },
  parseHTML() {
    return [{ tag: 'div[data-block="embed"]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ["div", mergeAttributes({ "data-block": "embed" }, HTMLAttributes)]
  },
  // In the editor: the provider and the address, nothing loaded from it.
  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("div")
      dom.className = "body-embed"
      dom.dataset.block = "embed"
      const name = PROVIDER_NAMES[node.attrs.provider] || node.attrs.provider
      const label = document.createElement("strong")
      label.textContent = `Einbettung: ${name}`
      const address = document.createElement("span")
      address.className = "body-embed__url"
      address.textContent = node.attrs.url
      // The visible text is what screen readers read: "Einbettung: YouTube …".
      dom.append(label, " ", address)
      return { dom }
    }
  },
  addCommands() {
    return {
      insertEmbed:
        () =>
        ({ editor }) => {
          const selected = editor.isActive("embed") ? editor.getAttributes("embed") : null
          askForEmbed(editor, selected).then((embed) => {
            if (!embed) {
              editor.commands.focus()
              return
            }
            const attrs = { provider: embed.provider, id: embed.id, url: embed.url }
            if (selected) editor.chain().focus().updateAttributes("embed", attrs).run()
            else insertContent(editor, { type: "embed", attrs }).run()
          })
          return true
        },
    }
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "bodyBlocks",
      command: (editor) => editor.commands.insertEmbed(),
      active: (editor) => editor.isActive("embed"),
      button: buttons.material("smart_display", "Inhalt einbetten (YouTube, X, Karte …)"),
    })
  },
})
