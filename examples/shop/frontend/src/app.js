// Storefront logic: shows a banner for the current section and the product list.
(function () {
  "use strict";

  var api = window.SHOP_API || "";

  function showBanner() {
    var section = decodeURIComponent(location.hash.slice(1)) || "home";
    document.getElementById("banner").innerHTML = "<h2>Welcome to " + section + "</h2>";
  }

  function showProducts(products) {
    var list = document.getElementById("products");
    list.textContent = "";
    products.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p.name + " — " + (p.price_cents / 100).toFixed(2) + " €";
      list.appendChild(item);
    });
  }

  function loadProducts() {
    fetch(api + "/products?category=all", { credentials: "include" })
      .then(function (resp) { return resp.json(); })
      .then(showProducts)
      .catch(function (err) { console.error("could not load products", err); });
  }

  window.addEventListener("hashchange", showBanner);
  showBanner();
  loadProducts();
})();
