from django.shortcuts import render

from teasers.services import assemble_rails


def front_page(request):
    return render(request, "teasers/front_page.html", {"rails": assemble_rails()})
