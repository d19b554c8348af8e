// A page widget for testing the book: a button that adds 1 to the model's "count" and shows the count.
// It reads and writes its state only through the model (get, set, save_changes, on, off), as the
// course's page widgets do. This comment holds what must not end an inlined script: </script> <!--
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "counter-add";
  button.textContent = model.get("label");
  const count = document.createElement("span");
  count.className = "counter-count";
  const show = () => { count.textContent = String(model.get("count")); };
  const add = () => {
    model.set("count", model.get("count") + 1);
    model.save_changes();
  };
  button.addEventListener("click", add);
  model.on("change:count", show);
  show();
  el.append(button, count);
  return () => {
    model.off("change:count", show);
    button.removeEventListener("click", add);
  };
}

export default { render };
