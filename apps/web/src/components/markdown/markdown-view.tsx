/**
 * Markdown as React elements, from marked's tokens: never through innerHTML. HTML written in the
 * source shows as the text it is, links go only to http(s) and mailto addresses (and open in a new
 * tab), and an image is a link to it rather than a request to another host.
 */
import { lexer, type Token, type Tokens } from "marked";
import type { ReactNode } from "react";

const SAFE_URL = /^(https?:|mailto:)/i;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** marked leaves entities as written (`&amp;`); HTML would show the character they name. */
const decode = (text: string) =>
  text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? entity;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });

function inline(tokens: Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map((token, i) => {
    const t = token as Tokens.Generic;
    switch (token.type) {
      case "strong":
        return <strong key={i}>{inline(t.tokens)}</strong>;
      case "em":
        return <em key={i}>{inline(t.tokens)}</em>;
      case "del":
        return <del key={i}>{inline(t.tokens)}</del>;
      case "codespan":
        return <code key={i}>{t.text as string}</code>;
      case "br":
        return <br key={i} />;
      case "link":
      case "image": {
        const { href } = token as Tokens.Link;
        const content = token.type === "image" ? decode((token as Tokens.Image).text) : inline(t.tokens);
        return SAFE_URL.test(href) ? (
          <a key={i} href={href} target="_blank" rel="noopener noreferrer">
            {content}
          </a>
        ) : (
          <span key={i}>{content}</span>
        );
      }
      case "text":
        return t.tokens ? <span key={i}>{inline(t.tokens)}</span> : decode(t.text as string);
      default:
        // escape, html (shown as written), and anything a later marked adds: as text.
        return decode(String(t.text ?? t.raw));
    }
  });
}

function blocks(tokens: Token[]): ReactNode[] {
  return tokens.map((token, i) => {
    switch (token.type) {
      case "space":
      case "def":
        return null;
      case "paragraph":
        return <p key={i}>{inline(token.tokens)}</p>;
      // A heading in a type's description is not a heading of the page around it.
      case "heading":
        return (
          <p key={i}>
            <strong>{inline(token.tokens)}</strong>
          </p>
        );
      case "list": {
        const items = (token as Tokens.List).items.map((item, j) => (
          <li key={j}>{item.loose ? blocks(item.tokens) : inlineOrBlocks(item.tokens)}</li>
        ));
        return token.ordered ? (
          <ol key={i} start={typeof token.start === "number" ? token.start : undefined}>
            {items}
          </ol>
        ) : (
          <ul key={i}>{items}</ul>
        );
      }
      case "code":
        return (
          <pre key={i}>
            <code>{(token as Tokens.Code).text}</code>
          </pre>
        );
      case "blockquote":
        return <blockquote key={i}>{blocks((token as Tokens.Blockquote).tokens)}</blockquote>;
      case "hr":
        return <hr key={i} />;
      case "table": {
        const table = token as Tokens.Table;
        return (
          <table key={i}>
            <thead>
              <tr>
                {table.header.map((cell, j) => (
                  <th key={j} scope="col">
                    {inline(cell.tokens)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, j) => (
                <tr key={j}>
                  {row.map((cell, k) => (
                    <td key={k}>{inline(cell.tokens)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      }
      case "text":
        return <p key={i}>{inline((token as Tokens.Text).tokens ?? [token])}</p>;
      default:
        return <p key={i}>{decode(String((token as Tokens.Generic).raw))}</p>;
    }
  });
}

/** A tight list item's text stays inline; nested lists and code blocks are blocks. */
const inlineOrBlocks = (tokens: Token[]) =>
  tokens.map((token, i) =>
    token.type === "text" ? (
      <span key={i}>{inline((token as Tokens.Text).tokens ?? [token])}</span>
    ) : (
      blocks([token])
    ),
  );

export default function MarkdownView({ source }: { source: string }) {
  return <>{blocks(lexer(source, { gfm: true }))}</>;
}
