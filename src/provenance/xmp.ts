import { SOURCE_TYPES, type SourceTypeName } from './source-types.js';

/**
 * The XMP packet written into every answer, for readers that do not parse C2PA (photo managers,
 * exiftool, search engines): the IPTC digital source type and the tool that made the picture. Written by
 * sharp (`withXmp`) as the picture is encoded, so the C2PA hash binding covers it too.
 *
 * @example xmpPacket('trainedAlgorithmicMedia', 'retouch 0.1.0 (qwen-edit)')
 */
export function xmpPacket(sourceType: SourceTypeName, creatorTool: string): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` Iptc4xmpExt:DigitalSourceType="${SOURCE_TYPES[sourceType]}"`,
    ` xmp:CreatorTool="${escapeXml(creatorTool)}"/>`,
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
