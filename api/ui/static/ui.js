// asof web UI: the timeline's known-at slider and its keyboard navigation. Plain JavaScript,
// no library; the page reads right without it (the server draws the same state).
"use strict";

(function () {
  const slider = document.getElementById("known-slider");
  const svg = document.getElementById("timeline");
  if (!slider || !svg) return;
  const label = document.getElementById("known-label");
  const field = document.getElementById("known_at");
  const steps = Array.from(document.querySelectorAll("#steps li")).map((li) => ({
    us: Number(li.dataset.us), label: li.textContent, iso: li.dataset.iso,
  }));
  const bars = Array.from(svg.querySelectorAll("a.bar")).map((el) => ({
    el, rec: Number(el.dataset.rec), sup: el.dataset.sup === "" ? Infinity : Number(el.dataset.sup),
    state: el.getAttribute("class").split(" ")[1],
  }));
  let visible = null;  // the bars shown, in document order; computed when the keyboard needs it

  // A version is believed at k when recorded <= k < superseded; superseded once k passes its
  // superseded_at; not yet known before it was recorded.
  function replay(index) {
    const known = index < 0 ? -Infinity : steps[index].us;
    const latest = index === steps.length - 1;
    for (const bar of bars) {
      const state = bar.rec > known ? "unknown" : bar.sup <= known ? "superseded" : "believed";
      if (state !== bar.state) {  // only the bars that change are restyled
        bar.state = state;
        bar.el.setAttribute("class", "bar " + state);
      }
    }
    const text = index < 0 ? "before anything was recorded" : steps[index].label + (latest ? " (now)" : "");
    label.textContent = text;
    slider.setAttribute("aria-valuetext", text);
    if (field) field.value = index < 0 || latest ? "" : steps[index].iso;
    visible = null;
    const shown = shownBars();
    if (!shown.some((el) => el.tabIndex === 0) && shown.length) shown[0].tabIndex = 0;
  }

  function shownBars() {
    if (visible === null) visible = bars.filter((b) => b.state !== "unknown").map((b) => b.el);
    return visible;
  }

  slider.addEventListener("input", () => {
    const index = Number(slider.value);
    replay(index);
    const url = new URL(window.location.href);
    if (field && field.value) url.searchParams.set("known_at", field.value);
    else url.searchParams.delete("known_at");
    window.history.replaceState(null, "", url);
  });

  // Roving focus: one bar is in the tab order; arrows move along the row (left, right) and
  // between rows (up, down); Home and End jump to the first and last bar.
  function focusBar(el) {
    for (const other of shownBars()) other.tabIndex = -1;
    el.tabIndex = 0;
    el.focus();
  }
  function rowOf(el) { return el.parentNode; }
  svg.addEventListener("keydown", (event) => {
    const current = event.target.closest ? event.target.closest("a.bar") : null;
    if (!current) return;
    const visible = shownBars();
    const at = visible.indexOf(current);
    let next = null;
    if (event.key === "ArrowRight") next = visible[at + 1];
    else if (event.key === "ArrowLeft") next = visible[at - 1];
    else if (event.key === "Home") next = visible[0];
    else if (event.key === "End") next = visible[visible.length - 1];
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      for (let i = at + step; i >= 0 && i < visible.length; i += step) {
        if (rowOf(visible[i]) !== rowOf(current)) {
          next = step > 0 ? visible[i] : visible.find((el) => rowOf(el) === rowOf(visible[i]));
          break;
        }
      }
    } else return;
    event.preventDefault();
    if (next) focusBar(next);
  });

  replay(Number(slider.value));
  window.asofTimelineReady = performance.now();
})();
