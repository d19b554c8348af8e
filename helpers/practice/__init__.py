"""Training and the checks that keep it honest: training loops (`training`), numerical gradients and
gradient checks (`gradcheck`), planted bugs and their symptoms (`bugs`), the checks practitioners run
before and during a long run (`recipe`, `recipe_checks`, `recipe_bugs`), and what cross-entropy buys
over squared error (`slowdown`).

Called "practice" because this is backprop put to work: running it, and making sure it is right.
"""
