// "Leave quickly" (approdi/public/): the neutral page replaces this one in the history, so Back does not return.
// Without JavaScript the button is an ordinary link to the same page.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-leave]");
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
