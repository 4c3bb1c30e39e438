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
});
