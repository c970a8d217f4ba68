from django.contrib import admin
from django.urls import include, path
from rest_framework import routers

from . import api

router = routers.DefaultRouter()
router.register("products", api.ProductViewSet)
router.register("orders", api.OrderViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("", admin.site.urls),
]
