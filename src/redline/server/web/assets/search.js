// Results as you type: ask the JSON API, render links with a status badge. Arrow keys move through the results.
const box = document.getElementById("q"), list = document.getElementById("results");
let pending;
const yesNo = (value) => (value ? "yes" : "no");
function render(hit) {
  const li = document.createElement("li"), a = document.createElement("a"), badge = document.createElement("span");
  const note = document.createElement("span");
  a.href = "/ui/entity/" + encodeURIComponent(hit.id); a.textContent = hit.name;
  badge.className = "badge b-" + hit.badge.state; badge.textContent = hit.badge.label;
  badge.title = `now: may buy ${yesNo(hit.badge.may_buy)} · sell ${yesNo(hit.badge.may_sell)} · hold ${yesNo(hit.badge.may_hold)}`;
  note.className = "muted"; note.textContent = " " + hit.lists.join(", ") + " — " + hit.explanation;
  li.append(a, " ", badge, note); return li;
}
box.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    const q = box.value.trim();
    if (!q) { list.innerHTML = ""; return; }
    const response = await fetch("/entities?q=" + encodeURIComponent(q));
    if (!response.ok) return;
    const data = await response.json();
    list.replaceChildren(...(data.results.length ? data.results.map(render)
      : [Object.assign(document.createElement("li"), {className: "muted", textContent: "No listed entity matches."})]));
  }, 150);
});
// ArrowDown from the box enters the list; ArrowUp/ArrowDown move between links; ArrowUp from the first goes back.
document.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = [...list.querySelectorAll("a")];
  if (!links.length) return;
  const at = links.indexOf(document.activeElement);
  if (at < 0 && document.activeElement !== box) return;
  event.preventDefault();
  const next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
  (next < 0 ? box : links[next]).focus();
});
