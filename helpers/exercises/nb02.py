"""Exercise checks for notebook 02 · Loss: how wrong are we?

    from helpers.exercises import nb02 as check
    check.squared_error_of_prediction(0.25)

Every expected value is computed by `helpers.losses`, so the checks agree with the notebook.
"""

from ..checking.checks import check_choice, check_number
from ..core.losses import cross_entropy, mse, squared_error

# Exercise 1: one prediction above its target.
SE_Y_HAT = 2.5
SE_Y = 2.0


def squared_error_of_prediction(answer):
    """The squared error (ŷ − y)² of ŷ = 2.5 against y = 2.0: 0.25."""
    expected = squared_error(SE_Y_HAT, SE_Y)
    error = SE_Y_HAT - SE_Y
    return check_number(
        answer, expected, what="the squared error", tol=1e-3,
        hints=[
            (error, f"{error:g} is the error ŷ − y itself. The squared error squares it: ({error:g})²."),
            (-error, f"{-error:g} is y − ŷ, not yet squared. Square it; squaring also removes the sign, "
                     "so y − ŷ and ŷ − y give the same loss."),
            (-expected, "A square is never negative. Check the sign: (ŷ − y)² is the same for a miss "
                        "above and a miss below the target."),
            (0.5 * expected, "That is ½(ŷ − y)², the squared error with the ½ in front. This exercise "
                             "asks for the plain squared error, without the ½."),
            (SE_Y_HAT ** 2 - SE_Y ** 2, "You squared ŷ and y separately and subtracted: ŷ² − y² is not "
                                        "(ŷ − y)². Subtract first, then square."),
            (lambda v: v < 0, "A squared error can never be negative: it is a number times itself."),
        ],
        praise=f"(ŷ − y)² = ({SE_Y_HAT:.1f} − {SE_Y:.1f})² = {error:.1f}² = {expected:.2f}. "
               "A miss of 0.5 above the target costs the same as a miss of 0.5 below it.",
    )


# Exercise 2: the mean squared error of a prediction with two outputs.
MSE_Y_HAT = (0.6, 0.2)
MSE_Y = (1.0, 0.0)


def mse_of_two_outputs(answer):
    """The MSE of ŷ = (0.6, 0.2) against y = (1.0, 0.0): (0.16 + 0.04) / 2 = 0.10."""
    expected = mse(MSE_Y_HAT, MSE_Y)
    errors = [p - t for p, t in zip(MSE_Y_HAT, MSE_Y)]
    squares = [e ** 2 for e in errors]
    k = len(errors)
    return check_number(
        answer, expected, what="the mean squared error", tol=1e-3,
        hints=[
            (sum(squares), f"{sum(squares):g} is the sum of the squared errors. The mean divides it by "
                           f"the number of outputs, {k}."),
            (sum(errors) / k, "You averaged the errors without squaring them, so a miss below and a miss "
                              "above cancel out. Square each error first, then average."),
            ((sum(errors) / k) ** 2, "You averaged the errors first and squared the average. Square each "
                                     "error first, then take the mean of the squares."),
            (sum(abs(e) for e in errors) / k, "That is the mean of the absolute errors |ŷ − y|. Square each "
                                              "error instead of taking its size."),
            (0.5 * expected, "That is half the MSE. The MSE has no ½: it is the plain mean of the squares."),
            (squares[0], f"{squares[0]:g} is the squared error of the first output alone. The MSE also "
                         f"counts the second output, then takes the mean."),
            # (−0.4 + 0.2)² = 0.2² = 0.04: squaring the summed errors lands on the second output's square.
            (squares[1], f"{squares[1]:g} is the squared error of the second output alone, and also what you get "
                         f"by adding the errors first and squaring the sum, ({errors[0]:.1f} + {errors[1]:.1f})². "
                         "The MSE squares each error on its own, then takes the mean of the squares."),
            (sum(errors), "You added the errors without squaring them, so a miss below and a miss above cancel "
                          "out. Square each error first, then take the mean."),
        ],
        praise=f"({errors[0]:+.1f})² = {squares[0]:.2f} and ({errors[1]:+.1f})² = {squares[1]:.2f}; "
               f"their mean is ({squares[0]:.2f} + {squares[1]:.2f}) / {k} = {expected:.2f}.",
    )


# Exercise 3: two predictions for a photo of a cat, over the classes cat, dog, rabbit.
CLASSES = ("cat", "dog", "rabbit")
CE_TARGET = (1.0, 0.0, 0.0)
CE_PREDICTIONS = {"A": (0.50, 0.50, 0.00), "B": (0.45, 0.30, 0.25)}


def _both_losses():
    """{'A': (squared error, cross-entropy), 'B': (...)} of the two predictions."""
    return {k: (squared_error(p, CE_TARGET), cross_entropy(p, CE_TARGET)) for k, p in CE_PREDICTIONS.items()}


def punished_more(answer):
    """Which prediction, 'A' or 'B', does cross-entropy punish more? B: it gives the cat less."""
    scores = _both_losses()
    expected = max(scores, key=lambda k: scores[k][1])
    (se_a, ce_a), (se_b, ce_b) = scores["A"], scores["B"]
    p_a, p_b = CE_PREDICTIONS["A"][0], CE_PREDICTIONS["B"][0]
    return check_choice(
        answer, expected, tuple(CE_PREDICTIONS),
        hints={
            "A": (f"That is what squared error says: it counts every output, and A's 0.50 on 'dog' "
                  f"costs a lot (A: {se_a:.2f}, B: {se_b:.2f}). Cross-entropy reads only the "
                  f"probability given to the true class, cat: {p_a:.2f} for A, {p_b:.2f} for B. "
                  "Which is smaller?"),
        },
        praise=(f"Cross-entropy is −log of the cat's probability: −log {p_a:.2f} = {ce_a:.3f} for A and "
                f"−log {p_b:.2f} = {ce_b:.3f} for B. B gave the true class less, so it pays more, "
                "however its other probabilities are spread."),
    )

