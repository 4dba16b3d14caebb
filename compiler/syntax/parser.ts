// Tokens -> CST: the grammar of `.kpi` files (Chevrotain CstParser).
//
// Recovery is on and shaped for one error per mistake:
// - a body's items are an ordered choice ending in `unknownItem`, which
//   swallows the rest of a line it does not understand, so one unknown or
//   misspelt item costs one diagnostic and the next line parses normally;
// - a body ends at its `}` or where the next declaration visibly starts, so
//   a missing `}` is reported once and the next declaration still parses;
// - expressions are flat chains (`operand (tail)*`), ordered by precedence
//   in `to-ast.ts`, so `a + a + ... + a` does not recurse per term.
// Alternatives chosen by their first token use MAX_LOOKAHEAD 1 with the
// catch-all last, which Chevrotain would otherwise call ambiguous.

import { CstParser, EOF, type IToken, type TokenType } from 'chevrotain';
import type { KpiToken } from './lexer.ts';
import { LazyLookaheadStrategy } from './lazy-lookahead.ts';
import { createErrorMessageProvider, type BlockContext } from './messages.ts';
import * as t from './tokens.ts';

const kw = t.keyword;
const orderedChoice = { MAX_LOOKAHEAD: 1, IGNORE_AMBIGUITIES: true } as const;

export class KpiParser extends CstParser {
  /** The declaration whose body is being parsed, for "expected `}` to close ..." messages. */
  openBlock: BlockContext | undefined;
  /** Column of the item being parsed: an item keyword that starts a line at or left of it starts the next item. */
  private itemColumn = 0;
  /** The keywords that start an item of the body being parsed. */
  private itemKeywords: ReadonlySet<TokenType> = new Set();

  /**
   * `validate: false` skips Chevrotain's grammar checks (ambiguities, left
   * recursion), about half of the start-up cost. The grammar is fixed, so a
   * test builds it once with the checks on (tests/syntax/grammar-checks.test.ts).
   */
  constructor(options: { readonly validate: boolean } = { validate: false }) {
    const messages = createErrorMessageProvider(() => this.openBlock);
    super(t.ALL_TOKENS, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: messages,
      skipValidations: !options.validate,
      lookaheadStrategy: new LazyLookaheadStrategy({ maxLookahead: 3 }),
    });
    this.performSelfAnalysis();
  }

  /** Forgets the layout state of the previous input. */
  prepare(): void {
    this.openBlock = undefined;
    this.itemColumn = 0;
    this.itemKeywords = new Set();
  }

  // ------------------------------------------------------------ file

  file = this.RULE('file', () => {
    this.MANY({ GATE: () => this.LA(1).tokenType !== EOF, DEF: () => this.SUBRULE(this.topLevel) });
  });

  topLevel = this.RULE('topLevel', () => {
    this.OR({
      ...orderedChoice,
      DEF: [
        { ALT: () => this.SUBRULE(this.kpiDecl) },
        { ALT: () => this.SUBRULE(this.sourceDecl) },
        { ALT: () => this.SUBRULE(this.stray) },
      ],
    });
  });

  /** Anything that is not a declaration, up to the next line that starts one. */
  stray = this.RULE('stray', () => {
    this.CONSUME(t.AnyToken);
    this.MANY({
      GATE: () => this.LA(1).tokenType !== EOF && !this.atDeclarationStart(),
      DEF: () => this.CONSUME2(t.AnyToken),
    });
  });

  sourceDecl = this.RULE('sourceDecl', () => {
    const keyword = this.OR([
      { ALT: () => this.CONSUME(kw('source'), { LABEL: 'keyword' }) },
      { ALT: () => this.CONSUME(kw('customer'), { LABEL: 'keyword' }) },
    ]);
    this.SUBRULE(this.name);
    this.ACTION(() => this.openDeclaration(keyword, SOURCE_ITEM_KEYWORDS));
    this.CONSUME(kw('from'));
    this.SUBRULE(this.sourceRef);
    this.CONSUME(t.LCurly);
    this.MANY({ GATE: () => this.bodyContinues(), DEF: () => this.SUBRULE(this.sourceItem) });
    this.CONSUME(t.RCurly);
  });

  kpiDecl = this.RULE('kpiDecl', () => {
    const keyword = this.CONSUME(kw('kpi'), { LABEL: 'keyword' });
    this.SUBRULE(this.name);
    this.ACTION(() => this.openDeclaration(keyword, KPI_ITEM_KEYWORDS));
    this.CONSUME(t.LCurly);
    this.MANY({ GATE: () => this.bodyContinues(), DEF: () => this.SUBRULE(this.kpiItem) });
    this.CONSUME(t.RCurly);
  });

  sourceRef = this.RULE('sourceRef', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: 'path' }) },
      {
        GATE: () => this.LA(1).tokenType === kw('table') && this.LA(2).tokenType !== t.LCurly,
        ALT: () => {
          this.CONSUME(kw('table'));
          this.SUBRULE(this.name, { LABEL: 'table' });
          this.OPTION(() => {
            this.CONSUME(t.Dot);
            this.SUBRULE2(this.name, { LABEL: 'table' });
          });
        },
      },
      { ALT: () => this.SUBRULE3(this.name, { LABEL: 'source' }) },
    ]);
  });

  /** An unknown item: its first token and the rest of its line. */
  unknownItem = this.RULE('unknownItem', () => {
    this.CONSUME(t.AnyToken);
    this.MANY({ GATE: () => this.restOfLine(), DEF: () => this.CONSUME2(t.AnyToken) });
  });

  // ------------------------------------------------------------ source items

  sourceItem = this.RULE('sourceItem', () => {
    this.ACTION(() => this.startItem());
    this.OR({
      ...orderedChoice,
      DEF: [
        { ALT: () => this.SUBRULE(this.keyItem) },
        { ALT: () => this.SUBRULE(this.customerItem) },
        { ALT: () => this.SUBRULE(this.joinItem) },
        { ALT: () => this.SUBRULE(this.timeItem) },
        { ALT: () => this.SUBRULE(this.validItem) },
        { ALT: () => this.SUBRULE(this.dimensionItem) },
        { ALT: () => this.SUBRULE(this.measureItem) },
        { ALT: () => this.SUBRULE(this.checkItem) },
        { ALT: () => this.SUBRULE(this.descriptionItem) },
        { ALT: () => this.SUBRULE(this.unknownItem) },
      ],
    });
  });

  keyItem = this.RULE('keyItem', () => {
    this.CONSUME(kw('key'));
    this.SUBRULE(this.name);
  });

  customerItem = this.RULE('customerItem', () => {
    this.CONSUME(kw('customer'));
    this.SUBRULE(this.name);
  });

  joinItem = this.RULE('joinItem', () => {
    this.CONSUME(kw('join'));
    this.SUBRULE(this.name, { LABEL: 'target' });
    this.CONSUME(kw('on'));
    this.SUBRULE2(this.name, { LABEL: 'column' });
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE3(this.name, { LABEL: 'targetColumn' });
    });
  });

  timeItem = this.RULE('timeItem', () => {
    this.CONSUME(kw('time'));
    this.SUBRULE(this.name);
  });

  validItem = this.RULE('validItem', () => {
    this.CONSUME(kw('valid'));
    this.CONSUME(kw('from'));
    this.SUBRULE(this.name, { LABEL: 'from' });
    this.CONSUME(kw('to'));
    this.SUBRULE2(this.name, { LABEL: 'to' });
  });

  /** `dimension a, b [internal]` and `dimension n = EXPR [where PRED] [internal]`; to-ast rejects mixes. */
  dimensionItem = this.RULE('dimensionItem', () => {
    this.CONSUME(kw('dimension'));
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.expression, { LABEL: 'expr' });
      this.OPTION2(() => {
        this.CONSUME(kw('where'));
        this.SUBRULE2(this.expression, { LABEL: 'where' });
      });
    });
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.name);
    });
    this.OPTION3(() => this.CONSUME(kw('internal')));
  });

  measureItem = this.RULE('measureItem', () => {
    this.CONSUME(kw('measure'));
    this.SUBRULE(this.name);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.expression, { LABEL: 'aggregate' });
    this.MANY({ GATE: () => this.measureContinues(), DEF: () => this.SUBRULE(this.measureModifier) });
  });

  measureModifier = this.RULE('measureModifier', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(kw('where'));
          this.SUBRULE(this.expression, { LABEL: 'where' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('time'));
          this.SUBRULE(this.name, { LABEL: 'time' });
        },
      },
      { ALT: () => this.CONSUME(kw('cumulative')) },
      { ALT: () => this.CONSUME(kw('retained')) },
      { ALT: () => this.CONSUME(kw('churned')) },
      {
        ALT: () => {
          this.CONSUME(kw('at'));
          this.CONSUME(kw('period'));
          this.OR2([
            { ALT: () => this.CONSUME(kw('start'), { LABEL: 'at' }) },
            { ALT: () => this.CONSUME(kw('end'), { LABEL: 'at' }) },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('side'));
          this.SUBRULE2(this.name, { LABEL: 'side' });
        },
      },
    ]);
  });

  checkItem = this.RULE('checkItem', () => {
    this.CONSUME(kw('check'));
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(kw('as'));
      this.SUBRULE(this.name);
    });
  });

  descriptionItem = this.RULE('descriptionItem', () => {
    this.CONSUME(kw('description'));
    this.CONSUME(t.StringLiteral);
  });

  // ------------------------------------------------------------ KPI items

  kpiItem = this.RULE('kpiItem', () => {
    this.ACTION(() => this.startItem());
    this.OR({
      ...orderedChoice,
      DEF: [
        { ALT: () => this.SUBRULE(this.kpiTextItem) },
        { ALT: () => this.SUBRULE(this.kpiWordItem) },
        { ALT: () => this.SUBRULE(this.kpiExprItem) },
        { ALT: () => this.SUBRULE(this.kpiNumberItem) },
        { ALT: () => this.SUBRULE(this.kpiSegmentItem) },
        { ALT: () => this.SUBRULE(this.kpiWindowItem) },
        { ALT: () => this.SUBRULE(this.kpiThresholdItem) },
        { ALT: () => this.SUBRULE(this.kpiReplacedByItem) },
        { ALT: () => this.SUBRULE(this.kpiTagsItem) },
        { ALT: () => this.SUBRULE(this.kpiCohortItem) },
        { ALT: () => this.SUBRULE(this.kpiAlertItem) },
        { ALT: () => this.SUBRULE(this.kpiFormatItem) },
        { ALT: () => this.SUBRULE(this.unknownItem) },
      ],
    });
  });

  kpiTextItem = this.RULE('kpiTextItem', () => {
    this.consumeOneOf(['title', 'description', 'owner', 'customer_value']);
    this.CONSUME(t.StringLiteral);
  });

  kpiWordItem = this.RULE('kpiWordItem', () => {
    this.consumeOneOf(['perspective', 'indicator', 'grain', 'direction', 'status', 'periods']);
    this.SUBRULE(this.name);
  });

  kpiExprItem = this.RULE('kpiExprItem', () => {
    this.consumeOneOf(['numerator', 'denominator', 'value', 'where']);
    this.SUBRULE(this.expression);
  });

  kpiNumberItem = this.RULE('kpiNumberItem', () => {
    this.consumeOneOf(['scale', 'min_sample', 'version']);
    this.CONSUME(t.NumberLiteral);
  });

  kpiSegmentItem = this.RULE('kpiSegmentItem', () => {
    this.CONSUME(kw('segment'));
    this.CONSUME(kw('by'));
    this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => this.SUBRULE(this.qualifiedName) });
  });

  kpiCohortItem = this.RULE('kpiCohortItem', () => {
    this.CONSUME(kw('cohort'));
    this.CONSUME(kw('by'));
    this.SUBRULE(this.qualifiedName);
  });

  kpiWindowItem = this.RULE('kpiWindowItem', () => {
    this.CONSUME(kw('window'));
    this.CONSUME(t.NumberLiteral);
    this.CONSUME(t.UnitWord);
  });

  kpiThresholdItem = this.RULE('kpiThresholdItem', () => {
    this.consumeOneOf(['target', 'warn', 'critical']);
    this.CONSUME(t.ComparisonOp);
    // A number, or `TABLE.COLUMN`: the value per period from a target table. (OR2: consumeOneOf is this rule's OR.)
    this.OR2([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(t.Minus));
          this.CONSUME(t.NumberLiteral);
        },
      },
      { ALT: () => this.SUBRULE(this.qualifiedName) },
    ]);
    // `from 2025-01-01`: the date lexes as three numbers and two minus signs; to-ast checks it is one date.
    this.OPTION3(() => {
      this.CONSUME(kw('from'));
      this.CONSUME2(t.NumberLiteral, { LABEL: 'fromYear' });
      this.CONSUME2(t.Minus, { LABEL: 'fromDash' });
      this.CONSUME3(t.NumberLiteral, { LABEL: 'fromMonth' });
      this.CONSUME3(t.Minus, { LABEL: 'fromDash' });
      this.CONSUME4(t.NumberLiteral, { LABEL: 'fromDay' });
    });
    this.OPTION2(() => {
      this.CONSUME(kw('for'));
      this.SUBRULE(this.expression);
    });
  });

  kpiReplacedByItem = this.RULE('kpiReplacedByItem', () => {
    this.CONSUME(kw('replaced_by'));
    this.SUBRULE(this.name);
  });

  kpiTagsItem = this.RULE('kpiTagsItem', () => {
    this.CONSUME(kw('tags'));
    this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => this.CONSUME(t.StringLiteral) });
  });

  /** `format percent|number|currency ["EUR"] [decimals N]` (docs/language.md). */
  kpiFormatItem = this.RULE('kpiFormatItem', () => {
    this.CONSUME(kw('format'));
    this.SUBRULE(this.name, { LABEL: 'style' });
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    this.OPTION2({
      GATE: () => !this.atItemBoundary(),
      DEF: () => {
        this.SUBRULE2(this.name, { LABEL: 'decimalsWord' });
        this.CONSUME(t.NumberLiteral);
      },
    });
  });

  /**
   * `alert NAME { ... }`: a nested body whose items start with their own
   * keywords (docs/alerts.md); the KPI's item keywords are restored after it.
   */
  kpiAlertItem = this.RULE('kpiAlertItem', () => {
    this.CONSUME(kw('alert'));
    this.SUBRULE(this.name);
    this.CONSUME(t.LCurly);
    let saved: { column: number; keywords: ReadonlySet<TokenType> } | undefined;
    this.ACTION(() => {
      saved = { column: this.itemColumn, keywords: this.itemKeywords };
      this.itemKeywords = ALERT_ITEM_KEYWORDS;
    });
    this.MANY({ GATE: () => this.bodyContinues(), DEF: () => this.SUBRULE(this.alertItem) });
    this.ACTION(() => {
      if (saved) {
        this.itemColumn = saved.column;
        this.itemKeywords = saved.keywords;
      }
    });
    this.CONSUME(t.RCurly);
  });

  alertItem = this.RULE('alertItem', () => {
    this.ACTION(() => this.startItem());
    this.OR({
      ...orderedChoice,
      DEF: [
        { ALT: () => this.SUBRULE(this.alertByItem) },
        { ALT: () => this.SUBRULE(this.alertWhereItem) },
        { ALT: () => this.SUBRULE(this.alertWhenItem) },
        { ALT: () => this.SUBRULE(this.alertCountItem) },
        { ALT: () => this.SUBRULE(this.alertLevelItem) },
        { ALT: () => this.SUBRULE(this.alertRoleItem) },
        { ALT: () => this.SUBRULE(this.unknownItem) },
      ],
    });
  });

  alertByItem = this.RULE('alertByItem', () => {
    this.CONSUME(kw('by'));
    this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => this.SUBRULE(this.qualifiedName) });
  });

  alertWhereItem = this.RULE('alertWhereItem', () => {
    this.CONSUME(kw('where'));
    this.SUBRULE(this.expression);
  });

  /** `when status critical`, `when value < 20`, `when change < -30% [against previous | against average 4]` */
  alertWhenItem = this.RULE('alertWhenItem', () => {
    this.CONSUME(kw('when'));
    this.SUBRULE(this.name, { LABEL: 'subject' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.ComparisonOp);
          this.OPTION(() => this.CONSUME(t.Minus));
          this.CONSUME(t.NumberLiteral);
          this.OPTION2({
            GATE: () => !this.atItemBoundary(),
            DEF: () => {
              this.SUBRULE2(this.name, { LABEL: 'against' });
              this.SUBRULE3(this.name, { LABEL: 'baseline' });
              this.OPTION3(() => this.CONSUME2(t.NumberLiteral, { LABEL: 'baselinePeriods' }));
            },
          });
        },
      },
      { ALT: () => this.SUBRULE4(this.name, { LABEL: 'status' }) },
    ]);
  });

  /** `for 3 periods` (in a row), `escalate after 3 periods`, `min_baseline 5` */
  alertCountItem = this.RULE('alertCountItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(kw('for'), { LABEL: 'field' }) },
      { ALT: () => this.CONSUME(kw('min_baseline'), { LABEL: 'field' }) },
      {
        ALT: () => {
          this.CONSUME(kw('escalate'), { LABEL: 'field' });
          this.SUBRULE(this.name, { LABEL: 'after' });
        },
      },
    ]);
    this.CONSUME(t.NumberLiteral);
    this.OPTION({ GATE: () => !this.atItemBoundary(), DEF: () => this.SUBRULE2(this.name, { LABEL: 'unit' }) });
  });

  alertLevelItem = this.RULE('alertLevelItem', () => {
    this.CONSUME(kw('level'));
    this.SUBRULE(this.name);
  });

  alertRoleItem = this.RULE('alertRoleItem', () => {
    this.consumeOneOf(['responsible', 'accountable', 'consulted', 'informed']);
    this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => this.CONSUME(t.StringLiteral) });
  });

  // ------------------------------------------------------------ names

  /** Any word: identifier, backticked name or keyword. */
  name = this.RULE('name', () => {
    this.OR([{ GATE: () => !this.atItemBoundary(), ALT: () => this.CONSUME(t.Word) }]);
  });

  /** `name` or `qualifier.name`. */
  qualifiedName = this.RULE('qualifiedName', () => {
    this.OR([{ GATE: () => !this.atItemBoundary(), ALT: () => this.CONSUME(t.Word) }]);
    this.OPTION(() => {
      this.CONSUME(t.Dot);
      this.CONSUME2(t.Word);
    });
  });

  // ------------------------------------------------------------ expressions

  /** `operand (tail)*`: a flat chain, ordered by precedence in to-ast. */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => this.SUBRULE(this.tail));
  });

  /** Prefix operators (`not`, `-`) and a primary. */
  operand = this.RULE('operand', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(kw('not'), { LABEL: 'prefix' }) },
        { ALT: () => this.CONSUME(t.Minus, { LABEL: 'prefix' }) },
      ]);
    });
    this.SUBRULE(this.primary);
  });

  tail = this.RULE('tail', () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.binaryOperator);
          this.SUBRULE(this.operand);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(kw('not')));
          this.CONSUME(kw('between'));
          this.SUBRULE(this.arith, { LABEL: 'low' });
          this.CONSUME(kw('and'));
          this.SUBRULE2(this.arith, { LABEL: 'high' });
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(kw('not')));
          this.CONSUME(kw('in'));
          this.CONSUME(t.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'values' }) });
          this.CONSUME(t.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(kw('is'));
          this.OPTION3(() => this.CONSUME3(kw('not')));
          this.CONSUME(kw('null'));
        },
      },
    ]);
  });

  binaryOperator = this.RULE('binaryOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(kw('or'), { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(kw('and'), { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(kw('like'), { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(t.ComparisonOp, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(t.SqlNotEquals, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(t.Plus, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(t.Minus, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(t.Star, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(t.Slash, { LABEL: 'op' }) },
    ]);
  });

  /** The bounds of `between`: arithmetic only, so the `and` that follows is the bound's. */
  arith = this.RULE('arith', () => {
    this.SUBRULE(this.arithOperand);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Plus, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Minus, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Star, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(t.Slash, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.arithOperand);
    });
  });

  arithOperand = this.RULE('arithOperand', () => {
    this.MANY(() => this.CONSUME(t.Minus, { LABEL: 'prefix' }));
    this.SUBRULE(this.primary);
  });

  primary = this.RULE('primary', () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(2).tokenType === t.StringLiteral,
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(kw('date'), { LABEL: 'typed' }) },
              { ALT: () => this.CONSUME(kw('timestamp'), { LABEL: 'typed' }) },
            ]);
            this.CONSUME(t.StringLiteral, { LABEL: 'typedValue' });
          },
        },
        { GATE: () => !this.atItemBoundary(), ALT: () => this.SUBRULE(this.reference) },
        {
          ALT: () => {
            this.CONSUME(t.NumberLiteral);
            this.OPTION(() => this.CONSUME(t.UnitWord));
          },
        },
        { ALT: () => this.CONSUME2(t.StringLiteral) },
        { ALT: () => this.CONSUME(kw('true'), { LABEL: 'constant' }) },
        { ALT: () => this.CONSUME(kw('false'), { LABEL: 'constant' }) },
        { ALT: () => this.CONSUME(kw('null'), { LABEL: 'constant' }) },
        { ALT: () => this.SUBRULE(this.caseExpr) },
        {
          ALT: () => {
            this.CONSUME(t.LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(t.RParen);
          },
        },
      ],
    });
  });

  /** `name`, `qualifier.name` or `f(args)`. */
  reference = this.RULE('reference', () => {
    this.CONSUME(t.ExprWord, { LABEL: 'head' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.LParen);
            this.OPTION2(() => {
              this.OR2([
                { ALT: () => this.CONSUME(t.Star, { LABEL: 'star' }) },
                {
                  ALT: () =>
                    this.AT_LEAST_ONE_SEP({
                      SEP: t.Comma,
                      DEF: () => this.SUBRULE(this.expression, { LABEL: 'args' }),
                    }),
                },
              ]);
            });
            this.CONSUME(t.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Dot);
            this.CONSUME(t.Word, { LABEL: 'member' });
          },
        },
      ]);
    });
  });

  caseExpr = this.RULE('caseExpr', () => {
    this.CONSUME(kw('case'));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.whenClause));
    this.OPTION(() => {
      this.CONSUME(kw('else'));
      this.SUBRULE(this.expression, { LABEL: 'else' });
    });
    this.CONSUME(kw('end'));
  });

  whenClause = this.RULE('whenClause', () => {
    this.CONSUME(kw('when'));
    this.SUBRULE(this.expression, { LABEL: 'when' });
    this.CONSUME(kw('then'));
    this.SUBRULE2(this.expression, { LABEL: 'then' });
  });

  /** For `--where`: one expression and nothing after it. */
  standaloneExpression = this.RULE('standaloneExpression', () => {
    this.SUBRULE(this.expression);
  });

  // ------------------------------------------------------------ layout helpers

  private consumeOneOf(words: readonly t.KeywordText[]): void {
    const alternatives = words.map((word) => ({ ALT: () => this.CONSUME(kw(word), { LABEL: 'field' }) }));
    // Each call site has a fixed list, so the OR's identity is stable across calls.
    this.OR(alternatives);
  }

  /** A body goes on until its `}`, the end of the file, or the visible start of another declaration. */
  private bodyContinues(): boolean {
    const type = this.LA(1).tokenType;
    return type !== t.RCurly && type !== EOF && !this.atDeclarationStart();
  }

  private atDeclarationStart(): boolean {
    const first = this.LA(1) as KpiToken;
    const type = first.tokenType;
    if (type === kw('kpi'))
      return first.startsLine || (isWord(this.LA(2).tokenType) && this.LA(3).tokenType === t.LCurly);
    if (type === kw('source'))
      return first.startsLine || (isWord(this.LA(2).tokenType) && this.LA(3).tokenType === kw('from'));
    if (type === kw('customer')) return isWord(this.LA(2).tokenType) && this.LA(3).tokenType === kw('from');
    return false;
  }

  /** Inside an unknown item: the next token is on the same line and is not a closing brace. */
  private restOfLine(): boolean {
    const next = this.LA(1) as KpiToken;
    return next.tokenType !== EOF && next.tokenType !== t.RCurly && !next.startsLine;
  }

  /** A `time` that starts a line no further right than its `measure` is the source's `time` item. */
  private measureContinues(): boolean {
    return !this.atItemBoundary();
  }

  /**
   * An item keyword that starts a line no further right than the current
   * item starts the next item: it is not a name, an operand or a modifier of
   * this one. Continuation lines are indented; `numerator a +` followed by
   * `target >= 40` on the next line is a missing operand, not `a + target`.
   */
  private atItemBoundary(): boolean {
    const next = this.LA(1) as KpiToken;
    return next.startsLine && next.column <= this.itemColumn && this.itemKeywords.has(next.tokenType);
  }

  private startItem(): void {
    this.itemColumn = (this.LA(1) as KpiToken).column;
  }

  /** Remembers `kpi nps` and where it starts, for "expected `}` to close ..." messages. */
  private openDeclaration(keyword: IToken, itemKeywords: ReadonlySet<TokenType>): void {
    const start = keyword as KpiToken;
    this.itemKeywords = itemKeywords;
    this.itemColumn = 0;
    this.openBlock = {
      label: `${start.image.toLowerCase()} ${this.LA(0).image}`,
      line: start.line,
      column: start.column,
    };
  }
}

function isWord(type: TokenType): boolean {
  return (
    type === t.Word || type === t.Identifier || type === t.QuotedName || type.CATEGORIES?.includes(t.Word) === true
  );
}

const SOURCE_ITEM_KEYWORDS: ReadonlySet<TokenType> = new Set(t.SOURCE_ITEM_WORDS.map(kw));

const KPI_ITEM_KEYWORDS: ReadonlySet<TokenType> = new Set(t.KPI_ITEM_WORDS.map(kw));

const ALERT_ITEM_KEYWORDS: ReadonlySet<TokenType> = new Set(t.ALERT_ITEM_WORDS.map(kw));

let shared: KpiParser | undefined;

/**
 * The one parser instance, built on first use: building it analyses the
 * grammar, which takes a while, so commands that parse nothing (`--version`,
 * `init`) never pay for it; parsing reuses it.
 */
export function kpiParser(): KpiParser {
  shared ??= new KpiParser();
  return shared;
}
