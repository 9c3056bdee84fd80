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

function boxMenuItem(menu, buttons, name, icon, label, command) {
  menu.defineItem({
    name,
    groups: "bodyBlocks",
    command: (editor) => editor.chain().focus()[command]().run(),
    enabled: (editor) => editor.can()[command](),
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
  renderHTML() {
    return ["div", { "data-block": "infobox" }, 0]
  },
  addCommands() {
    return {
      insertInfoBox:
        () =>
        ({ chain }) =>
          chain()
            .insertContent({
              type: "infoBox",
              content: [{ type: "blockTitle" }, { type: "paragraph" }],
            })
            .command(focusInserted("infoBox"))
            .run(),
    }
  },
  addMenuItems({ menu, buttons }) {
    boxMenuItem(menu, buttons, "infoBox", "info", "Info-Kasten einfügen", "insertInfoBox")
  },
})

export const FactList = Node.create({
  name: "factList",
  group: "block",
  content: "blockTitle bulletList",
  defining: true,
  isolating: true,
  parseHTML() {
    return [{ tag: 'div[data-block="factlist"]' }]
  },
  renderHTML() {
    return ["div", { "data-block": "factlist" }, 0]
  },
  addCommands() {
    return {
      insertFactList:
        () =>
        ({ chain }) =>
          chain()
            .insertContent({
              type: "factList",
              content: [
                { type: "blockTitle" },
                {
                  type: "bulletList",
                  content: [{ type: "listItem", content: [{ type: "paragraph" }] }],
                },
              ],
            })
            .command(focusInserted("factList"))
            .run(),
    }
  },
  addMenuItems({ menu, buttons }) {
    boxMenuItem(menu, buttons, "factList", "fact_check", "Faktenliste einfügen", "insertFactList")
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
  addCommands() {
    return {
      insertPullQuote:
        () =>
        ({ chain }) =>
          chain()
            .insertContent({
              type: "pullQuote",
              content: [{ type: "quoteText" }, { type: "quoteSource" }],
            })
            .command(focusInserted("pullQuote"))
            .run(),
    }
  },
  addMenuItems({ menu, buttons }) {
    boxMenuItem(
      menu, buttons, "pullQuote", "record_voice_over", "Zitat mit Quelle einfügen", "insertPullQuote"
    )
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
    editor.view.dom.parentElement.append(dialog)
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
      dom.append(label, " ", address)
      dom.setAttribute("aria-label", `Einbettung von ${name}: ${node.attrs.url}`)
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
            else editor.chain().focus().insertContent({ type: "embed", attrs }).run()
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
