// Backend-for-frontend: order history for the storefront, straight from MySQL.
const express = require("express");
const session = require("express-session");
const mysql = require("mysql2/promise");
const { exec, execFile } = require("child_process");

const app = express();
const pool = mysql.createPool({
  host: process.env.DB_HOST,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: "shop",
});

// Insecure: the session cookie is also sent over plain HTTP (no cookie.secure).
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.get("/api/orders", async (req, res) => {
  // Insecure: the status filter is pasted into the SQL text.
  const [rows] = await pool.query(
    "SELECT id, total_cents, status FROM orders WHERE customer_id = " + req.session.customerId +
      " AND status = '" + req.query.status + "'"
  );
  res.json(rows);
});

app.get("/api/orders/:id", async (req, res) => {
  // Fixed twin: placeholders, values passed separately.
  const [rows] = await pool.execute(
    "SELECT id, total_cents, status FROM orders WHERE customer_id = ? AND id = ?",
    [req.session.customerId, req.params.id]
  );
  res.json(rows[0] || null);
});

app.post("/api/preferences", (req, res) => {
  // Fixed twin of the session cookie: Secure, HttpOnly, SameSite.
  res.cookie("prefs", "compact", { secure: true, httpOnly: true, sameSite: "lax" });
  res.status(204).end();
});

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
}

app.get("/search", (req, res) => {
  // Insecure: the search term is sent back inside HTML.
  res.send(`<h1>Results for ${req.query.q}</h1>`);
});

app.get("/search/plain", (req, res) => {
  // Fixed twin: escaped for HTML.
  res.send(`<h1>Results for ${escapeHtml(req.query.q)}</h1>`);
});

app.post("/api/orders/:id/label", (req, res) => {
  // Insecure: the order id goes through a shell.
  exec("lpr -P labels /srv/labels/" + req.params.id + ".pdf", (err) => res.sendStatus(err ? 500 : 204));
});

app.post("/api/orders/:id/invoice", (req, res) => {
  // Fixed twin: no shell, the id is one argument.
  execFile("lpr", ["-P", "invoices", "--", `/srv/invoices/${req.params.id}.pdf`], (err) =>
    res.sendStatus(err ? 500 : 204)
  );
});

app.listen(3000);
