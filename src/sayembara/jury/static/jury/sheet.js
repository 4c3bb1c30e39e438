// Score sheet: Enter moves to the next score instead of submitting the form; the numbers
// typed are checked against the criterion's range as you type (the server checks again).
// "Submit and lock" first asks for confirmation in a dialog naming the entry and the stage
// and listing every score with the sheet's total, then waits for the autosaves still on
// their way before the form is sent.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll(".score-input"));
  inputs.forEach((input, index) => {
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const next = inputs[index + 1];
      if (next) { next.focus(); next.select(); }
      else { const submit = document.getElementById("submit-sheet"); if (submit) submit.focus(); }
    });
    input.addEventListener("input", () => {
      const value = parseFloat(input.value.replace(",", "."));
      const low = parseFloat(input.dataset.min), high = parseFloat(input.dataset.max);
      const bad = input.value.trim() !== "" && (isNaN(value) || value < low || value > high);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
    });
  });

  // Autosaves in flight: the submit waits for them so that it names the newest version.
  let inFlight = 0;
  const waiters = [];
  form.addEventListener("htmx:beforeRequest", () => { inFlight += 1; });
  form.addEventListener("htmx:afterRequest", () => {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0) waiters.splice(0).forEach((resolve) => resolve());
  });
  const settled = () => new Promise((resolve) => {
    if (inFlight === 0) resolve(); else waiters.push(resolve);
  });

  const submit = document.getElementById("submit-sheet");
  const dialog = submit && document.getElementById(submit.dataset.dialog);
  const confirmed = document.getElementById("sheet-confirmed");
  if (!submit || !dialog || typeof dialog.showModal !== "function") return;
  let sending = false;
  let asking = false;
  submit.addEventListener("click", async (event) => {
    if (sending) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    // The total is the server's, from the last autosave: let the save of the score just left
    // start, and wait for it, so that the dialog shows what will be locked.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await settled();
    asking = false;
    const [valid, complete] = fillScores();
    const missing = dialog.querySelector("#confirm-missing"); // only where every score is needed
    dialog.querySelector("#confirm-invalid").hidden = valid;
    if (missing) missing.hidden = complete;
    dialog.querySelector("[data-answer=yes]").disabled = !valid || (missing && !complete);
    dialog.showModal();
  });

  // Each criterion's score in the dialog, as the judge typed or chose it.
  function fillScores() {
    let valid = true, complete = true;
    dialog.querySelectorAll("[data-score-of]").forEach((cell) => {
      const box = document.getElementById(`crit-${cell.dataset.scoreOf}`);
      if (!box) return;
      let text = "";
      const typed = box.querySelector(".score-input");
      const chosen = box.querySelector("input[type=radio]:checked");
      const ticks = box.querySelectorAll("input[type=checkbox]");
      if (typed) {
        text = typed.value.trim();
        if (typed.getAttribute("aria-invalid") === "true") valid = false;
      } else if (chosen) {
        text = chosen.dataset.shown || chosen.value;
      } else if (ticks.length) {
        const ticked = box.querySelectorAll("input[type=checkbox]:checked").length;
        text = dialog.dataset.ticked.replace("{ticked}", ticked).replace("{items}", ticks.length);
      }
      const problem = box.querySelector(".errorlist");
      if (problem && problem.textContent.trim()) valid = false;
      cell.textContent = text || dialog.dataset.notScored;
      cell.classList.toggle("muted", !text);
      if (!text) complete = false;
    });
    return [valid, complete];
  }
  dialog.querySelector("[data-answer=no]").addEventListener("click", () => dialog.close());
  dialog.querySelector("[data-answer=yes]").addEventListener("click", async () => {
    dialog.close();
    sending = true;
    submit.disabled = true;
    await new Promise((resolve) => setTimeout(resolve, 0)); // let a last "change" autosave start
    await settled();
    confirmed.value = "1";
    submit.disabled = false;
    form.requestSubmit(submit);
  });
});
