// Types for the two internal sucrase modules the transpiler uses (its parser gives identifier
// roles and scopes; sucrase ships the JS but not declarations under these paths).
declare module "sucrase/dist/parser/index.js" {
  export interface SucraseToken {
    type: number;
    start: number;
    end: number;
    isType: boolean;
    identifierRole: number | null;
    shadowsGlobal?: boolean;
  }
  export interface SucraseScope {
    startTokenIndex: number;
    endTokenIndex: number;
    isFunctionScope: boolean;
  }
  export function parse(
    input: string,
    isJSXEnabled: boolean,
    isTypeScriptEnabled: boolean,
    isFlowEnabled: boolean,
  ): { tokens: SucraseToken[]; scopes: SucraseScope[] };
}
declare module "sucrase/dist/parser/tokenizer/types.js" {
  export const TokenType: Record<string, number>;
}
declare module "sucrase/dist/parser/tokenizer/index.js" {
  export const IdentifierRole: Record<string, number>;
}
