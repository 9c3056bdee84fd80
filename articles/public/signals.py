"""Signals of the public pages, for the rooms above them.

`teasers` counts a reader's view of an article page (and the impressions of
the sponsored teasers under it) without this room importing `teasers`.
"""

from django.dispatch import Signal

# Sent after an article page answered 200, cached or not, with `request`,
# `article_id` and the page's `facts` (such as "slot_ids", the sponsored
# slots the page shows).
article_page_served = Signal()
