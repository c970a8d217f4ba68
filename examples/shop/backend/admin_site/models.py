"""The shop's tables, as the Flask backend creates them (schema.sql); Django does not migrate them."""
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=64)
    description = models.TextField(blank=True, null=True)
    price_cents = models.IntegerField()
    stock = models.IntegerField(default=0)

    class Meta:
        managed = False
        db_table = "products"

    def __str__(self):
        return self.name


class Order(models.Model):
    user_id = models.IntegerField()
    product = models.ForeignKey(Product, on_delete=models.DO_NOTHING)
    quantity = models.IntegerField(default=1)
    status = models.CharField(max_length=16, default="new")
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "orders"
