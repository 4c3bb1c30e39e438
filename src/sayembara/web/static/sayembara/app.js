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
  // labelled with its column's heading.
  document.querySelectorAll("table.stack").forEach((table) => {
    const headings = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, index) => {
        if (headings[index] && !cell.hasAttribute("data-label")) cell.dataset.label = headings[index];
      });
    });
  });
});
