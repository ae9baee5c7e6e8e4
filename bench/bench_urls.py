"""The product's URLs plus two answers that show nothing: the fixed cost of a request (the same
middleware, session and signed-in user) in the product's page frame (header, navigation, language
switch) and in the API (the same authentication and permission classes). The bench adds the one that
fits to each page's SQL floor."""

from django.shortcuts import render
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


def empty_page(request):
    return render(request, "web/base.html", {"nav": ""})


class EmptyAnswer(APIView):
    def get(self, request):
        return Response({})


urlpatterns = [
    path("bench-empty-page/", empty_page),
    path("bench-empty-answer/", EmptyAnswer.as_view()),
    path("", include("baqylau.urls")),
]
