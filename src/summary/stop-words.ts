// Words that end a key phrase (RAKE's phrase delimiters): function words, and the verbs and fillers
// every abstract uses to introduce its claims ("we propose", "results show"), which would otherwise
// glue themselves to the phrases around them. How common a content word is in this instance is left
// to idf, not to this list.
export const STOP_WORDS = new Set(
  (
    'a about above across after again against all almost along already also although always am among an and another any are around as at ' +
    'be because been before being below between both but by can cannot could did do does doing done down during each either else enough ' +
    'especially even ever every few for from further furthermore had has have having he her here hers him his how however i if in into is it its itself ' +
    'just least less like many may might more moreover most much must my neither no nor not now of off often on once one only onto or other others ' +
    'otherwise our ours out over own per perhaps quite rather same several shall she should since so some such than that the their theirs them themselves ' +
    'then there thereby therefore these they this those though thus to too toward towards under unlike until up upon us very via was we well were what whatever ' +
    'when where whereas whether which while who whom whose why will with within without would yet you your ' +
    // verbs and fillers of abstracts
    'achieve achieved achieves achieving address addresses allow allows apply applied based believe bring brings called consider considered ' +
    'demonstrate demonstrated demonstrates describe describes design designed develop developed enable enables establish evaluate evaluated ' +
    'explore explores extensive find finds first focus given help helps highlight highlights improve improved improves improving include includes including ' +
    'introduce introduced introduces investigate investigates lead leads make makes making new novel obtain obtained offer offers outperform outperforms ' +
    'paper present presented presents propose proposed proposes provide provides providing reach reaches remain remains report reveal reveals ' +
    'second show showed shown shows significant significantly state-of-the-art study studies suggest suggests take takes three two use used uses using ' +
    'various whose work works yield yields'
  ).split(' '),
);
