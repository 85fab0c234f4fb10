// Starts ReDoc on /redoc with sayso's OpenAPI document (a file of its own: the page's
// Content-Security-Policy forbids inline script), with the colours of ReDoc's theme that fail
// WCAG AA's contrast (found by the axe check in tests/pages/test_browser.py) darkened.
window.addEventListener("load", function () {
  var element = document.getElementById("redoc");
  Redoc.init(element.dataset.openapi, {
    theme: {
      colors: { warning: { main: "#8a5300" } },
      typography: { code: { color: "#b3261e" } },
      // The headers over a request's and a response's fields are a fixed light grey.
      extensionsHook: function (component) {
        return component === "UnderlinedHeader" ? "color: #555d66;" : "";
      },
    },
  }, element);
});
