"""Everything of the articles' admin: one module per subject (articles,
photos, agencies, taxonomy), the workflow views, the edit form, the admin
site with the editors' dashboard.

The subjects register with the admin site in NewsroomAdminConfig.ready()
(articles/apps.py), not on importing this package: the site's class lives
here, and the site is made while this package is imported.
"""

SUBJECTS = (
    "agency",
    "articles",
    "counting_marks",
    "galleries",
    "photos",
    "taxonomy",
    "users",
)
