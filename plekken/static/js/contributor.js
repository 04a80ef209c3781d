/* plekken — the anonymous contributor key of this device: random, kept in the browser's
 * local storage and sent with every place and endorsement, so that the reach analysis can
 * count distinct people without names. The server stores only its SHA-256 hash.
 */
const KEY = "plekken:bijdrager";
let fallback = "";

function fresh() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function contributorKey() {
  let key = "";
  try {
    key = window.localStorage.getItem(KEY) || "";
  } catch (err) {
    key = fallback;
  }
  if (!/^[0-9a-f]{32}$/.test(key)) {
    key = fallback || fresh();
    fallback = key;
    try {
      window.localStorage.setItem(KEY, key);
    } catch (err) {
      /* private mode: the key lasts as long as this page */
    }
  }
  return key;
}
