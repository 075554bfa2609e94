// Two small helpers: a copy button for identifiers and search-as-you-type suggestions.
document.querySelectorAll("button.copy").forEach(function (b) {
  b.addEventListener("click", function () {
    navigator.clipboard.writeText(b.dataset.copy).then(function () { b.textContent = "copied"; });
  });
});
var box = document.getElementById("q"), list = document.getElementById("suggestions"), timer = null;
if (box && list) {
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!box.value.trim()) { list.innerHTML = ""; return; }
      fetch("/api/search?limit=8&q=" + encodeURIComponent(box.value))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (hit) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = hit.path;
            a.textContent = hit.label + (hit.matched !== hit.label ? " — " + hit.field + ": " + hit.matched : "");
            li.appendChild(a); list.appendChild(li);
          });
        });
    }, 120);
  });
}
