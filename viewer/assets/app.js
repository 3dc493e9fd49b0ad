/* daftar viewer: small conveniences on top of server-rendered pages.
 * Everything works without this file; it adds zoom on the page image and
 * ties a field row to its box over the image. */
(function () {
  'use strict';

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  function highlightField(name, on) {
    each(document.querySelectorAll('[data-field]'), function (el) {
      if (el.getAttribute('data-field') === name) {
        el.classList.toggle('active', on);
      }
    });
  }

  function setupFields() {
    each(document.querySelectorAll('tr[data-field]'), function (row) {
      var name = row.getAttribute('data-field');
      row.addEventListener('mouseenter', function () { highlightField(name, true); });
      row.addEventListener('mouseleave', function () { highlightField(name, false); });
      row.addEventListener('click', function () {
        var box = document.querySelector('rect.box[data-field="' + CSS.escape(name) + '"]');
        if (box && box.scrollIntoView) {
          box.scrollIntoView({ block: 'center', behavior: 'smooth' });
        }
      });
    });
  }

  function setupZoom() {
    var button = document.querySelector('button.zoom');
    var layout = document.querySelector('.doc-layout');
    if (!button || !layout) {
      return;
    }
    button.addEventListener('click', function () {
      var zoomed = layout.classList.toggle('zoomed');
      button.setAttribute('aria-pressed', zoomed ? 'true' : 'false');
    });
  }

  /* Review queue: j/k (or arrow down/up) move between items, Enter in the
   * value saves it (the form's own submit), Escape leaves the input. */
  function moveReview(step) {
    var inputs = document.querySelectorAll('.review-item input[name="value"]');
    var i = Array.prototype.indexOf.call(inputs, document.activeElement);
    var next = inputs[Math.max(0, Math.min(inputs.length - 1, i + step))];
    if (next) {
      next.focus();
      next.select();
      next.closest('.review-item').scrollIntoView({ block: 'center' });
    }
  }

  function setupKeys() {
    var box = document.querySelector('form.search input[name="q"]');
    var review = document.querySelector('ol.review');
    document.addEventListener('keydown', function (e) {
      var typing = document.activeElement &&
        document.activeElement.tagName === 'INPUT';
      if (e.key === '/' && box && document.activeElement !== box) {
        e.preventDefault();
        box.focus();
      } else if (review && e.key === 'Escape' && typing) {
        document.activeElement.blur();
      } else if (review && (e.key === 'ArrowDown' || (!typing && e.key === 'j'))) {
        e.preventDefault();
        moveReview(1);
      } else if (review && (e.key === 'ArrowUp' || (!typing && e.key === 'k'))) {
        e.preventDefault();
        moveReview(-1);
      }
    });
    if (review) {
      moveReview(0);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupFields();
    setupZoom();
    setupKeys();
  });
}());
