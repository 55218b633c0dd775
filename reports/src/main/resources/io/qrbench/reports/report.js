// qrbench report: small progressive enhancements; the page reads fine without them.
(function () {
  'use strict';
  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // Hovering or focusing a legend entry highlights that model's lines in every chart.
  function focusModel(model) {
    each('svg.chart .series, svg.chart .band', function (series) {
      var mine = series.getAttribute('data-model') === model;
      series.classList.toggle('dim', model !== null && !mine);
      series.classList.toggle('focus', model !== null && mine);
    });
  }
  each('.legend-item[data-model]', function (item) {
    var model = item.getAttribute('data-model');
    item.addEventListener('mouseenter', function () { focusModel(model); });
    item.addEventListener('mouseleave', function () { focusModel(null); });
    item.addEventListener('focus', function () { focusModel(model); });
    item.addEventListener('blur', function () { focusModel(null); });
  });

  // The study table's filter matches perturbation names and levels.
  var filter = document.getElementById('study-filter');
  if (filter) {
    filter.addEventListener('input', function () {
      var query = filter.value.trim().toLowerCase();
      each('#study-table tr.case-row', function (row) {
        var level = row.querySelector('td.level');
        // the shown level too: a reader types 8/255 where the results hold 0.0313...
        var key = ((row.getAttribute('data-case') || '') + ' ' +
          (level ? level.textContent : '')).toLowerCase();
        row.hidden = query !== '' && key.indexOf(query) < 0;
      });
    });
  }

  // "only significant" hides a comparison table's other rows.
  each('input.only-significant', function (box) {
    box.addEventListener('change', function () {
      var table = document.getElementById(box.getAttribute('data-table') || '');
      if (!table) {
        return;
      }
      Array.prototype.forEach.call(table.querySelectorAll('tr.comparison-row'), function (row) {
        row.hidden = box.checked && !row.classList.contains('significant');
      });
    });
  });
})();
