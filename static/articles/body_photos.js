// Photos and galleries inside the article body: two Tiptap nodes for
// django-prose-editor's extension mechanism (settings
// DJANGO_PROSE_EDITOR_EXTENSIONS, articles/admin/body_editor.py).
//
// Stored form (articles/photos/body_uses.py; the page renders it from the
// current rows, credit and licence included):
//   <figure data-block="photo" data-photo="12" data-crop="16x9">
//     <figcaption>caption for this use</figcaption></figure>
//   <figure data-block="gallery" data-gallery="3"></figure>
//
// The photo is chosen with the photo desk's chooser
// (window.NewsroomPhotoChooser, static/articles/photo_chooser.js) where the
// page has it; without it, the admin's own lookup pop-up (the photo list)
// fills the number, which the server checks on saving.
import {
  Node,
  crel,
  mergeAttributes,
  updateAttrsDialog,
} from "django-prose-editor/editor";

const t = window.gettext || ((text) => text);
// The admin's address of this app, from the edit form's own address
// (…/articles/article/12/change/).
const ADMIN = window.location.pathname.replace(/articles\/.*$/, "articles/");
const CROPS = [
  ["orig", t("Original")],
  ["16x9", t("Breit (16:9)")],
  ["4x3", t("Klassisch (4:3)")],
  ["1x1", t("Quadratisch (1:1)")],
];
const cropLabel = (value) => (CROPS.find(([key]) => key === value) || CROPS[0])[1];
const cropValue = (label) => (CROPS.find(([, text]) => text === label) || CROPS[0])[0];

// What the node views show of a photo or gallery (thumbnail, credit,
// title), asked of the admin once per id.
const previews = new Map();
function preview(kind, id) {
  const key = `${kind}:${id}`;
  if (!previews.has(key)) {
    const url = `${ADMIN}gallery/body-media/?${kind}=${encodeURIComponent(id)}`;
    previews.set(
      key,
      fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : {}))
        .then((data) => (data[kind === "photo" ? "photos" : "galleries"] || {})[id] || null)
        .catch(() => null),
    );
  }
  return previews.get(key);
}

let lookups = 0;
// The admin's lookup pop-up (RelatedObjectLookups.js) writes the chosen id
// into the element whose id the pop-up window is named after.
function lookupPicker(changelist, label) {
  return {
    label,
    handler({ input }) {
      if (!input.id) input.id = `newsroom-body-lookup-${++lookups}`;
      const link = crel("a", { id: `lookup_${input.id}`, href: `${changelist}?_to_field=id` });
      if (window.showRelatedObjectLookupPopup) {
        window.showRelatedObjectLookupPopup(link);
      } else {
        window.open(`${changelist}?_to_field=id&_popup=1`, input.id);
      }
    },
  };
}

function photoPicker() {
  if (!window.NewsroomPhotoChooser) {
    return lookupPicker(`${ADMIN}photo/`, t("Foto suchen …"));
  }
  return {
    label: t("Foto auswählen …"),
    handler({ input }) {
      window.NewsroomPhotoChooser.open({ multiple: false }).then((chosen) => {
        if (!chosen || !chosen.length) return;
        input.value = String(chosen[0].id);
        previews.set(`photo:${chosen[0].id}`, Promise.resolve({
          thumbnail: chosen[0].thumbnail_url, credit: chosen[0].credit, label: chosen[0].caption,
        }));
        const caption = input.form && input.form.querySelector("textarea[name=caption]");
        if (caption && !caption.value) caption.placeholder = chosen[0].caption || "";
      });
    },
  };
}

function selectedNode(editor, name) {
  const { selection } = editor.state;
  return selection.node && selection.node.type.name === name ? selection.node : null;
}

// A new block goes where the cursor is; with a block selected (the one
// just inserted, say), after it instead of replacing it.
function insert(editor, content) {
  const { selection } = editor.state;
  const chain = editor.chain().focus();
  if (selection.node) {
    chain.insertContentAt(selection.to, content).run();
  } else {
    chain.insertContent(content).run();
  }
}

function positiveNumber(value) {
  const text = String(value || "").trim().replace(/^#/, "");
  return /^[1-9][0-9]{0,17}$/.test(text) ? text : null;
}

function editPhoto(editor) {
  const node = selectedNode(editor, "newsroomPhoto");
  const attrs = node ? node.attrs : { photo: "", crop: "orig", caption: "" };
  updateAttrsDialog(
    {
      photo: {
        type: "string",
        title: t("Foto (Nummer)"),
        description: t("Über „Foto auswählen“ oder die Nummer aus der Fotoliste."),
        required: true,
        picker: photoPicker(),
      },
      crop: { title: t("Ausschnitt"), enum: CROPS.map(([, label]) => label) },
      caption: {
        type: "string",
        format: "textarea",
        title: t("Bildunterschrift in diesem Artikel"),
        description: t("Leer lassen, um die Bildunterschrift des Fotos zu verwenden."),
      },
    },
    {
      title: node ? t("Foto bearbeiten") : t("Foto einfügen"),
      submitText: node ? t("Übernehmen") : t("Einfügen"),
    },
  )(editor, { ...attrs, crop: cropLabel(attrs.crop) }).then((values) => {
    if (!values) return;
    const photo = positiveNumber(values.photo);
    if (!photo) {
      window.alert(t("Bitte ein Foto auswählen (eine Fotonummer)."));
      return;
    }
    const next = { photo, crop: cropValue(values.crop), caption: (values.caption || "").trim() };
    if (node) {
      editor.chain().focus().updateAttributes("newsroomPhoto", next).run();
    } else {
      insert(editor, { type: "newsroomPhoto", attrs: next });
    }
  });
}

function editGallery(editor) {
  const node = selectedNode(editor, "newsroomGallery");
  updateAttrsDialog(
    {
      gallery: {
        type: "string",
        title: t("Bildergalerie (Nummer)"),
        description: t("Über „Galerie suchen“ oder die Nummer aus der Galerieliste."),
        required: true,
        picker: lookupPicker(`${ADMIN}gallery/`, t("Galerie suchen …")),
      },
    },
    {
      title: node ? t("Bildergalerie ändern") : t("Bildergalerie einfügen"),
      submitText: node ? t("Übernehmen") : t("Einfügen"),
    },
  )(editor, { gallery: node ? node.attrs.gallery : "" }).then((values) => {
    if (!values) return;
    const gallery = positiveNumber(values.gallery);
    if (!gallery) {
      window.alert(t("Bitte eine Bildergalerie auswählen (eine Galerienummer)."));
      return;
    }
    if (node) {
      editor.chain().focus().updateAttributes("newsroomGallery", { gallery }).run();
    } else {
      insert(editor, { type: "newsroomGallery", attrs: { gallery } });
    }
  });
}

// The block as the editor shows it: a card with thumbnail and what the
// page will show; Enter or a double click opens its dialog.
function card(kind, editor, getAttrs, onEdit) {
  const dom = crel("figure", { className: `newsroom-block newsroom-block--${kind}`, contentEditable: "false" });
  const image = crel("img", { alt: "", width: 96, height: 72, hidden: true });
  const text = crel("figcaption", {});
  const edit = crel("button", { type: "button", className: "newsroom-block__edit", textContent: t("Bearbeiten") });
  dom.append(image, text, edit);
  edit.addEventListener("click", (event) => {
    event.preventDefault();
    onEdit();
  });
  dom.addEventListener("dblclick", onEdit);
  function render(attrs) {
    const id = kind === "photo" ? attrs.photo : attrs.gallery;
    text.textContent = kind === "photo"
      ? `${t("Foto")} ${id} · ${cropLabel(attrs.crop)}${attrs.caption ? ` · ${attrs.caption}` : ""}`
      : `${t("Bildergalerie")} ${id}`;
    dom.setAttribute("aria-label", text.textContent);
    preview(kind, id).then((found) => {
      if (!found) {
        text.textContent += ` – ${t("nicht gefunden")}`;
        return;
      }
      if (found.thumbnail) {
        image.src = found.thumbnail;
        image.hidden = false;
      }
      const parts = kind === "photo"
        ? [!attrs.caption && found.label, found.credit && `${t("Foto:")} ${found.credit}`]
        : [found.title, found.count !== undefined && `${found.count} ${t("Bilder")}`];
      text.textContent += ` – ${parts.filter(Boolean).join(" · ")}`;
    });
  }
  render(getAttrs());
  return { dom, render };
}

export const NewsroomPhoto = Node.create({
  name: "newsroomPhoto",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes() {
    return {
      photo: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-photo") || "",
        renderHTML: (attrs) => ({ "data-photo": attrs.photo }),
      },
      crop: {
        default: "orig",
        parseHTML: (element) => element.getAttribute("data-crop") || "orig",
        renderHTML: (attrs) => ({ "data-crop": attrs.crop }),
      },
      caption: {
        default: "",
        parseHTML: (element) => {
          const caption = element.querySelector("figcaption");
          return caption ? caption.textContent.trim() : "";
        },
        renderHTML: () => ({}),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'figure[data-block="photo"]', priority: 60 }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const attrs = mergeAttributes({ "data-block": "photo" }, HTMLAttributes);
    return node.attrs.caption ? ["figure", attrs, ["figcaption", node.attrs.caption]] : ["figure", attrs];
  },
  addNodeView() {
    return ({ editor, node, getPos }) => {
      let current = node;
      const view = card("photo", editor, () => current.attrs, () => {
        editor.chain().setNodeSelection(getPos()).run();
        editPhoto(editor);
      });
      return {
        dom: view.dom,
        update(updated) {
          if (updated.type.name !== "newsroomPhoto") return false;
          current = updated;
          view.render(updated.attrs);
          return true;
        },
      };
    };
  },
  addKeyboardShortcuts() {
    return { Enter: () => (selectedNode(this.editor, "newsroomPhoto") ? (editPhoto(this.editor), true) : false) };
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "newsroomPhoto",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", t("Foto einfügen")),
      command: (editor) => editPhoto(editor),
      active: (editor) => editor.isActive("newsroomPhoto"),
    });
  },
});

export const NewsroomGallery = Node.create({
  name: "newsroomGallery",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes() {
    return {
      gallery: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-gallery") || "",
        renderHTML: (attrs) => ({ "data-gallery": attrs.gallery }),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'figure[data-block="gallery"]', priority: 60 }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes({ "data-block": "gallery" }, HTMLAttributes)];
  },
  addNodeView() {
    return ({ editor, node, getPos }) => {
      let current = node;
      const view = card("gallery", editor, () => current.attrs, () => {
        editor.chain().setNodeSelection(getPos()).run();
        editGallery(editor);
      });
      return {
        dom: view.dom,
        update(updated) {
          if (updated.type.name !== "newsroomGallery") return false;
          current = updated;
          view.render(updated.attrs);
          return true;
        },
      };
    };
  },
  addKeyboardShortcuts() {
    return { Enter: () => (selectedNode(this.editor, "newsroomGallery") ? (editGallery(this.editor), true) : false) };
  },
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "newsroomGallery",
      groups: "nodes",
      button: buttons.material("photo_library", t("Bildergalerie einfügen")),
      command: (editor) => editGallery(editor),
      active: (editor) => editor.isActive("newsroomGallery"),
    });
  },
});
