// Score sheet: Enter moves to the next score instead of submitting the form; the numbers
// typed are checked against the criterion's range as you type (the server checks again).
document.addEventListener("DOMContentLoaded", () => {
  const inputs = Array.from(document.querySelectorAll("#sheet-form .score-input"));
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
});
