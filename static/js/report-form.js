// The report form warns as the clerk types, by the rule the server applies on submission
// (reporting.services.submission_warnings): a figure that moves by more than ±the form's
// data-change-limit percent against the same period a year earlier, or that was 0 then and is
// not now, needs a word in 上报说明. Each compared input carries last year's value
// (data-last-year) and the two warnings, translated, with {change} or {new} to fill in
// (data-warn-change, data-warn-new); a value the clerk entered before (data-entered) is compared
// when the page opens, the 0 of a new form only once they type. Without this script the server
// still says it all.
"use strict";

// A typed figure in hundredths, exactly (the form takes at most two decimals); null if it is
// not a plain non-negative number (the server explains what is wrong with it).
function hundredths(text) {
  const match = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text || "");
  if (!match) {
    return null;
  }
  return BigInt(match[1]) * 100n + BigInt((match[2] || "").padEnd(2, "0"));
}

// As lib.numbers.format_amount prints a figure: no grouping, no trailing zeros.
function figureText(value) {
  const cents = (value % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return cents ? `${value / 100n}.${cents}` : `${value / 100n}`;
}

// As lib.numbers.growth computes a change: (now − before) / before in percent, rounded half up
// (away from zero) to one decimal. In tenths of a percent; before > 0.
function changeInTenths(now, before) {
  const scaled = (now - before) * 1000n;
  const size = scaled < 0n ? -scaled : scaled;
  const rounded = (2n * size + before) / (2n * before);
  return scaled < 0n ? -rounded : rounded;
}

// As lib.numbers.Change prints: "+57.5%", "-60.0%".
function percentText(tenths) {
  const size = tenths < 0n ? -tenths : tenths;
  return `${tenths < 0n ? "-" : "+"}${size / 10n}.${size % 10n}%`;
}

function warningFor(input, limit) {
  const before = hundredths(input.dataset.lastYear);
  const now = hundredths(input.value);
  if (before === null || now === null) {
    return "";
  }
  if (before === 0n) {
    return now > 0n ? input.dataset.warnNew.replace("{new}", figureText(now)) : "";
  }
  const tenths = changeInTenths(now, before);
  const size = tenths < 0n ? -tenths : tenths;
  return size > limit * 10n ? input.dataset.warnChange.replace("{change}", percentText(tenths)) : "";
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-change-limit]");
  if (!form) {
    return;
  }
  const limit = BigInt(form.dataset.changeLimit);
  for (const input of form.querySelectorAll("input[data-last-year]")) {
    const note = input.closest("td").querySelector(".change-warning");
    if (!note) {
      continue;
    }
    const show = () => {
      const text = warningFor(input, limit);
      note.textContent = text;
      note.hidden = !text;
      input.classList.toggle("changed-much", Boolean(text));
    };
    input.addEventListener("input", show);
    if (input.dataset.entered !== undefined) {
      show();
    }
  }
});
