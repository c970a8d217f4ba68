// Checkout page: returns the shopper to where they came from after paying.
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);

  function backToShop() {
    // Insecure: any URL in ?return= is followed, including other sites and javascript: URLs.
    window.location.href = params.get("return");
  }

  function backToCart() {
    // Fixed twin: only a path of our own, built from a checked value.
    var tab = params.get("tab") === "saved" ? "saved" : "current";
    window.location.href = "/cart?tab=" + encodeURIComponent(tab);
  }

  function applyPromo() {
    // Insecure: the promo expression from the link is evaluated as code.
    var promo = params.get("promo") || "0";
    setTimeout("applyDiscount(" + promo + ")", 0);
  }

  function applyPromoSafely() {
    // Fixed twin: a function and a parsed number.
    var promo = parseInt(params.get("promo"), 10) || 0;
    setTimeout(function () { applyDiscount(promo); }, 0);
  }

  function applyDiscount(cents) {
    document.getElementById("total").textContent = "-" + (cents / 100).toFixed(2) + " €";
  }

  document.getElementById("back").addEventListener("click", backToShop);
  document.getElementById("cart").addEventListener("click", backToCart);
  applyPromo();
  applyPromoSafely();
})();
