// Follows the system's light/dark preference with Bootstrap's colour modes, and keeps following it if it changes.
(function () {
  var query = window.matchMedia('(prefers-color-scheme: dark)');
  function apply() {
    document.documentElement.setAttribute('data-bs-theme', query.matches ? 'dark' : 'light');
  }
  apply();
  query.addEventListener('change', apply);
}());
