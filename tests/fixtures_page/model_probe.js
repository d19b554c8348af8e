// A page widget for testing the book's model: it calls each part of the model API once and writes
// what happened into its element as JSON, for the test to read.
export function render({ model, el }) {
  const seen = [];
  const onCount = (m, value) => seen.push(["change:count", value, m === model]);
  const onAny = () => seen.push(["change"]);
  model.on("change:count", onCount);
  model.on("change", onAny);
  model.set("count", model.get("count"));  // the same value: no callback
  model.set("count", 5);
  model.save_changes();
  model.set({ count: 6, label: "six" });
  model.off("change:count", onCount);
  model.set("count", 7);  // only "change" is still listened to
  model.off("change");
  model.set("count", 8);  // nothing is listened to
  el.textContent = JSON.stringify({ seen, count: model.get("count"), label: model.get("label"),
                                    missing: model.get("missing") ?? null });
}
