"""The course's data set, installed with the package as `helpers.course_data`.

This folder is a package only so that the installed course carries the data; read the data with
`helpers.data.load_cat_dog()`, and see README.md here for what the data is and how it was made.
"""
