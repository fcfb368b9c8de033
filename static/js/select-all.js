// A table's "select all" box (input.select-all, hidden until this script runs: without it the
// rows are ticked one by one) ticks or clears every row box of the form named by data-form,
// and shows whether all, some or none of them are ticked.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input.select-all[data-form]")) {
    const boxes = Array.from(
      document.querySelectorAll(`input[type="checkbox"][form="${toggle.dataset.form}"]`),
    );
    if (boxes.length === 0) {
      continue;
    }
    const update = () => {
      const ticked = boxes.filter((box) => box.checked).length;
      toggle.checked = ticked === boxes.length;
      toggle.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    toggle.addEventListener("change", () => {
      for (const box of boxes) {
        box.checked = toggle.checked;
      }
      update();
    });
    for (const box of boxes) {
      box.addEventListener("change", update);
    }
    update();
    toggle.hidden = false;
  }
});
