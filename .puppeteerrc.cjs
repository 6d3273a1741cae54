// Debian's Chromium is used (tools/setup installs it); puppeteer must never download a browser.
module.exports = { skipDownload: true };
