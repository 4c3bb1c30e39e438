// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Live word counters: <textarea data-max-words="200"> followed by <small data-word-count>.
  document.querySelectorAll("textarea[data-max-words]").forEach((area) => {
    const counter = area.parentElement.querySelector("[data-word-count]");
    if (!counter) return;
    const max = parseInt(area.dataset.maxWords, 10);
    const update = () => {
      const words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
      counter.textContent = `${words} / ${max}`;
      counter.classList.toggle("over", words > max);
    };
    area.addEventListener("input", update);
    update();
  });

  // <select data-autosubmit> sends its form as soon as a choice is made (the language switch,
  // list filters); each such form also has a submit button for browsers without scripts.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // <input type="checkbox" data-check-all="NAME"> ticks or clears every checkbox named NAME.
  document.querySelectorAll("input[data-check-all]").forEach((box) => {
    box.addEventListener("change", () => {
      const name = box.dataset.checkAll;
      (box.form || document).querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((other) => {
        other.checked = box.checked;
      });
    });
  });

  // Tables with class "stack" show each row as a card on a phone (app.css): each cell is
  // labelled with its column's heading (or the heading's shorter data-short), its content kept
  // together beside the label. A table with data-more folds the cells marked card-more of each
  // row behind a button of that name, one per row.
  document.querySelectorAll("table.stack").forEach((table) => {
    const headings = Array.from(table.querySelectorAll("thead th")).map(
      (th) => (th.dataset.short || th.textContent).trim().replace(/\s+/g, " "));
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (cell.colSpan > 1) return; // a row saying the table is empty
        if (headings[index] && !cell.hasAttribute("data-label")) cell.dataset.label = headings[index];
        if (cell.dataset.label && !cell.querySelector(":scope > .cell-value")) {
          const value = document.createElement("div");
          value.className = "cell-value";
          value.append(...cell.childNodes);
          cell.append(value);
        }
      });
      if (table.dataset.more && row.querySelector(":scope > td.card-more")) addFoldButton(table, row);
    });
    if (table.querySelector("td.card-toggle")) table.classList.add("folds");
  });

  markScrollableTables(document);
  window.addEventListener("resize", () => {
    clearTimeout(markScrollableTables.timer);
    markScrollableTables.timer = setTimeout(() => markScrollableTables(document), 150);
  });
  document.body.addEventListener("htmx:afterSwap", (event) => markScrollableTables(event.target));
});

// A table wider than the screen scrolls sideways inside its .table-wrap; such a wrapper is
// made reachable by keyboard (arrow keys then scroll it) and named after its table's caption
// or the heading above it, so that a screen reader says what the stop is.
function markScrollableTables(root) {
  root.querySelectorAll(".table-wrap").forEach((wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      if (wrap.getAttribute("tabindex") === "0") return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      const caption = wrap.querySelector("caption");
      let heading = wrap.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      const section = wrap.closest("section, figure, details");
      const label = (caption && caption.textContent) || (heading && heading.textContent)
        || (section && section.querySelector("h2, h3, figcaption, summary")?.textContent)
        || document.title;
      wrap.setAttribute("aria-label", label.trim().replace(/\s+/g, " "));
    } else if (wrap.getAttribute("tabindex") === "0") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  });
}

// A group of disagreement conditions says "and" or "or" between its conditions; the word
// follows the group's choice at once (the server writes the same when the page comes back).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.dataset.joinWords) return;
  const [and, or] = select.dataset.joinWords.split("|");
  const group = select.closest(".cond-group");
  if (!group) return;
  group.querySelectorAll(":scope > .cond-list > .cond-join").forEach((word) => {
    word.textContent = select.value === "any" ? or : and;
  });
});

// The button that unfolds a card's secondary cells (on a phone; the desktop shows them all).
// Its name is the table's data-more followed, for a screen reader, by the row's name.
function addFoldButton(table, row) {
  const cell = document.createElement("td");
  cell.className = "card-toggle";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.setAttribute("aria-expanded", "false");
  button.textContent = table.dataset.more;
  const title = row.querySelector(":scope > .card-title .card-name")
    || row.querySelector(":scope > .card-title");
  if (title) {
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = ": " + title.textContent.trim().replace(/\s+/g, " ");
    button.append(hidden);
  }
  button.addEventListener("click", () => {
    button.setAttribute("aria-expanded", String(row.classList.toggle("unfolded")));
  });
  cell.append(button);
  row.append(cell);
}
