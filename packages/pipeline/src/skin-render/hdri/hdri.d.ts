declare module '*.hdr?url' {
  const url: string;
  export default url;
}
