// The admin's export form: "select all" ticks or clears every field box of the form.
// (Wired here: the Content-Security-Policy forbids on…= handlers in the page.)
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("input.select-toggle");
  if (!toggle) {
    return;
  }
  toggle.addEventListener("change", () => {
    const boxes = document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]');
    for (const box of boxes) {
      box.checked = toggle.checked;
    }
  });
});
