// The job form: a maximum salary below the minimum is refused before the form is sent (the server refuses it too).
(function () {
  "use strict";
  var low = document.querySelector("input[name=salary_min]");
  var high = document.querySelector("input[name=salary_max]");
  if (!low || !high) return;
  function check() {
    var bad = low.value !== "" && high.value !== "" && Number(low.value) > Number(high.value);
    var lang = document.documentElement.lang;
    high.setCustomValidity(bad ? (lang === "en" ? "The maximum must not be below the minimum." : "最高薪资不能低于最低薪资。") : "");
  }
  low.addEventListener("input", check);
  high.addEventListener("input", check);
  check();
})();
