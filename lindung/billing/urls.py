from django.urls import path

from lindung.billing.views import bills, payments

app_name = "billing"

urlpatterns: list = [  # type: ignore[type-arg]
    path("", bills.bill_index, name="bills"),
    path("buat/", bills.bill_generate_view, name="generate"),
    path("tagihan/<int:pk>/", bills.bill_detail, name="bill"),
    path("tagihan/<int:pk>/unduh/<str:kind>/", bills.bill_download, name="bill_download"),
    path("pembayaran/", payments.payment_index, name="payments"),
    path("pembayaran/<int:pk>/unduh/bukti/", payments.payment_proof, name="payment_proof"),
]
