// Results as you type: ask the JSON API, render links. No framework needed for one list.
const box = document.getElementById("q"), list = document.getElementById("results");
let pending;
box.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    const q = box.value.trim();
    if (!q) { list.innerHTML = ""; return; }
    const response = await fetch("/entities?q=" + encodeURIComponent(q));
    if (!response.ok) return;
    const data = await response.json();
    list.replaceChildren(...(data.results.length ? data.results.map(hit => {
      const li = document.createElement("li"), a = document.createElement("a"), note = document.createElement("span");
      a.href = "/ui/entity/" + encodeURIComponent(hit.id); a.textContent = hit.name;
      note.className = "muted"; note.textContent = " " + hit.lists.join(", ") + " — " + hit.explanation;
      li.append(a, note); return li;
    }) : [Object.assign(document.createElement("li"), {className: "muted", textContent: "No listed entity matches."})]));
  }, 150);
});
