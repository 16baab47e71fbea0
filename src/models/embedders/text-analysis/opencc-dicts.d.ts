// opencc-js ships its dictionaries as plain ES modules without declarations: each default-exports
// "source target[ alternative...]|source target|..." in OpenCC's own format.
declare module "opencc-js/dict/TSCharacters" {
  const dict: string;
  export default dict;
}
declare module "opencc-js/dict/TWVariantsRev" {
  const dict: string;
  export default dict;
}
declare module "opencc-js/dict/HKVariantsRev" {
  const dict: string;
  export default dict;
}
