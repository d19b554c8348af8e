"""One module of exercise checks per notebook: ``from helpers.exercises import nb02 as check``."""
