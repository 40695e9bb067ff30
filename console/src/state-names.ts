/**
 * The case workflow's state names (statemachines/case.asl.json), each explained for the
 * supervisor and operators in both languages: [Chinese, English]. Kept free of imports so a
 * test can check that every state of the definition has its explanation.
 */
export const STATE_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  Begin: ['开始：读取事项，计算第一个时限（仅当受理时未能带上第一个计划，例如由发件箱补启）', 'Start: read the case, compute its first clock point (only when intake could not bring the first plan, e.g. started by the outbox sweeper)'],
  AnnounceAlerts: ['发出预警和通知', 'Send the alerts and notices due'],
  NextStep: ['按事项阶段决定下一步', 'Choose the next step from the case’s phase'],
  AwaitSignOff: ['等待承办单位签收（到预警点或时限时醒来）', 'Wait for the unit to sign off (wakes at each warning or deadline)'],
  SignOffClock: ['签收计时点：预警或超时（红灯）', 'Sign-off clock point: warning or breach (red)'],
  ApplySignOffAction: ['处理签收、退回或督办', 'Apply a sign-off, return or supervision'],
  AwaitResult: ['等待办理结果（办结、上交、延期或督办）', 'Wait for the result (resolve, escalate, extension or supervision)'],
  HandlingClock: ['办理计时点：预警或超时，超时则上交', 'Handling clock point: warning, or breach and escalation'],
  ApplyHandlingAction: ['处理办结、上交、延期或督办', 'Apply a result, escalation, extension or supervision'],
  AwaitEvaluation: ['等待受理社区评价', 'Wait for the accepting community’s rating'],
  EvaluationClock: ['评价时限到，未评价结案', 'Evaluation window over: closed as not evaluated'],
  ApplyEvaluation: ['处理评价：满意结案，不满意重办', 'Apply the rating: satisfied closes, otherwise handled again'],
  AwaitReRouting: ['已退回，等待监管中心改派', 'Returned: wait for the supervision centre to reassign'],
  ReRoutingClock: ['改派时限到，发出预警', 'Re-routing deadline: alert'],
  ApplyReRouting: ['处理改派', 'Apply the reassignment'],
  Closed: ['已结案，执行结束', 'Closed: the execution ends'],
  UnknownPhase: ['未知阶段（不应出现）', 'Unknown phase (should never happen)'],
  Reopen: ['重新办理：已办结的事项在新的执行中退回最后办理单位，重新计时', 'Reopen: a closed case goes back to its last handling unit in a new execution, with a new window'],
  Resume: ['开始或接续：新事项带着受理时算好的第一个计划、接续的执行带着它的计划，直接进入等待；没有计划的从头开始', 'Start or resume: a new case brings the first plan intake made and a continued execution its plan, both straight to their wait; one without a plan begins'],
  OutgrowsExecution: ['执行是否将满（事件数或一年），满则接续到新执行', 'Is the execution nearly full (events or a year)? If so, continue in a new one'],
  ContinueAsNew: ['以同一事项启动接续执行（编号 -c1、-c2…）', 'Start the continuation for the same case (-c1, -c2, …)'],
  Continued: ['本执行结束，事项在接续执行中继续', 'This execution ends; the case goes on in its continuation'],
  AwaitCoHandlers: ['等待协办单位反馈', 'Wait for the co-handling units’ replies'],
  CoHandlingClock: ['协办计时点：预警或超时', 'Co-handling clock point: warning or breach'],
  ApplyCoHandlingAction: ['处理协办单位的反馈', 'Apply a co-handling unit’s reply'],
  AwaitMediation: ['等待调解组织受理、调解并报告结果', 'Wait for the mediation body to accept, mediate and report its outcome'],
  MediationClock: ['调解计时点：预警或超时', 'Mediation clock point: warning or breach'],
  ApplyMediationAction: ['处理调解组织的受理、拒绝、结果或履行情况', 'Apply the mediation body’s acceptance, refusal, outcome or fulfilment'],
};

export const explainState = (name: string, lang: 'zh-CN' | 'en'): string | undefined => STATE_NAMES[name]?.[lang === 'en' ? 1 : 0];
