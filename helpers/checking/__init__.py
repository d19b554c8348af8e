"""How an exercise answer is checked: reading whatever a learner typed (`answers`), saying right or
giving a specific hint (`checks`), running a learner's function safely (`codecheck`, `sandbox`) and
putting what went wrong into words (`hints` for a call that gave no result, `results` for one that
gave the wrong one), finding where a result first goes wrong (`diagnose`), and a friendly note when
a cell runs before the cells above it (`friendly`).

Called "checking" to tell it apart from `helpers.exercises`, which holds one module of checks per
notebook built on these.
"""
