// The Treaty extension: starts `treaty lsp` and shows what it reports (diagnostics, hovers,
// navigation, completion, and each claim's verdict above it after a save).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function makeClient() {
  const config = vscode.workspace.getConfiguration("treaty");
  const [command, ...args] = config.get("command", ["treaty", "lsp"]);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "treaty" },
      { scheme: "untitled", language: "treaty" },
    ],
    initializationOptions: {
      timeout: config.get("timeout", 10),
      checkOnSave: config.get("checkOnSave", true),
    },
  };
  return new LanguageClient("treaty", "Treaty", serverOptions, clientOptions);
}

async function activate(context) {
  client = makeClient();
  context.subscriptions.push(
    // A verdict lens carries where its claim is named; choosing it shows the claim's hover
    // (the last check, explained: what the proof rests on, or the counterexample).
    vscode.commands.registerCommand("treaty.showVerdict", async (uri, line, character) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.uri.toString() !== uri) {
        return;
      }
      const position = new vscode.Position(line, character);
      editor.selection = new vscode.Selection(position, position);
      await vscode.commands.executeCommand("editor.action.showHover");
    }),
    vscode.commands.registerCommand("treaty.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      client = makeClient();
      await client.start();
    }),
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `Treaty: could not start the language server (${error.message}). ` +
        "Install it with `pip install 'treaty-dsl[lsp]'` and set `treaty.command` if `treaty` is not on the PATH.",
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
