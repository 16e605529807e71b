export const id = 446;
export const ids = [446];
export const modules = {

/***/ 2446:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudWatchClient: () => (/* reexport safe */ _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__.W),
/* harmony export */   SageMakerClient: () => (/* reexport safe */ _aws_sdk_client_sagemaker__WEBPACK_IMPORTED_MODULE_1__.k),
/* harmony export */   checkEndpoints: () => (/* binding */ checkEndpoints),
/* harmony export */   explainEndpointFailure: () => (/* binding */ explainEndpointFailure),
/* harmony export */   findFiredAlarms: () => (/* binding */ findFiredAlarms),
/* harmony export */   listStackResources: () => (/* binding */ listStackResources),
/* harmony export */   nameFromArn: () => (/* binding */ nameFromArn)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudformation__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6210);
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2326);
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5159);
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2188);
/* harmony import */ var _aws_sdk_client_sagemaker__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3485);
/* harmony import */ var _aws_sdk_client_sagemaker__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4117);

// Loaded with import() once the stack has deployed (see lazyClient): SageMaker and CloudWatch stay
// out of the action's start, and out of a plan entirely.



async function listStackResources(cfn, stackName) {
    const resources = [];
    let token;
    do {
        const out = await cfn.send(new _aws_sdk_client_cloudformation__WEBPACK_IMPORTED_MODULE_2__/* .ListStackResourcesCommand */ .X({ StackName: stackName, NextToken: token }));
        resources.push(...(out.StackResourceSummaries ?? []));
        token = out.NextToken;
    } while (token);
    return resources;
}
/** `arn:aws:sagemaker:r:a:endpoint-config/name` -> `name`; a plain name stays as it is. */
function nameFromArn(id) {
    const m = id.match(/^arn:aws[a-z-]*:sagemaker:[^:]*:\d*:[a-z-]+\/(.+)$/);
    return m ? m[1] : id;
}
/** The EndpointConfig this stack's template points the endpoint at, as the stack deployed it. */
function expectedConfigName(template, logicalId, resources) {
    const prop = template.Resources[logicalId]?.Properties?.EndpointConfigName;
    if (typeof prop === 'string')
        return prop;
    const target = prop?.Ref ?? prop?.['Fn::GetAtt']?.[0];
    const physical = resources.find((r) => r.LogicalResourceId === target)?.PhysicalResourceId;
    return physical ? nameFromArn(physical) : undefined;
}
/**
 * Alarms of the endpoint's rollback configuration that went into ALARM since `since`, or are in it now.
 * Guardrails roll back silently (the endpoint ends InService on its old config), so the alarm is
 * the only record of why.
 */
async function findFiredAlarms(cloudwatch, alarmNames, since) {
    if (alarmNames.length === 0)
        return [];
    const fired = new Set();
    for (const name of alarmNames) {
        const history = await cloudwatch.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_3__/* .DescribeAlarmHistoryCommand */ .i({ AlarmName: name, HistoryItemType: 'StateUpdate', StartDate: since, MaxRecords: 100 }));
        if ((history.AlarmHistoryItems ?? []).some((h) => /to ALARM/.test(h.HistorySummary ?? '')))
            fired.add(name);
    }
    const now = await cloudwatch.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_4__/* .DescribeAlarmsCommand */ .z({ AlarmNames: alarmNames, StateValue: 'ALARM' }));
    for (const alarm of now.MetricAlarms ?? [])
        if (alarm.AlarmName)
            fired.add(alarm.AlarmName);
    return alarmNames.filter((n) => fired.has(n));
}
/**
 * Why an endpoint's update failed inside CloudFormation: the alarms of its rollback configuration
 * that fired since `since`, in words for the error message; undefined when none is on record.
 */
async function explainEndpointFailure(clients, endpointName, since) {
    const ep = await clients.sagemaker.send(new _aws_sdk_client_sagemaker__WEBPACK_IMPORTED_MODULE_5__/* .DescribeEndpointCommand */ .C({ EndpointName: endpointName }));
    const alarmNames = (ep.LastDeploymentConfig?.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName).filter(Boolean);
    const fired = await findFiredAlarms(clients.cloudwatch, alarmNames, since);
    if (fired.length === 0)
        return undefined;
    return `deployment guardrails rolled endpoint ${endpointName} back: alarm${fired.length > 1 ? 's' : ''} ${fired.join(', ')} fired`;
}
/** Checks that every endpoint in the stack is InService on the EndpointConfig this deploy created. */
async function checkEndpoints(clients, stackName, template, since) {
    const resources = await listStackResources(clients.cfn, stackName);
    const checks = [];
    for (const r of resources.filter((x) => x.ResourceType === 'AWS::SageMaker::Endpoint' && x.PhysicalResourceId)) {
        const endpointName = nameFromArn(r.PhysicalResourceId);
        const ep = await clients.sagemaker.send(new _aws_sdk_client_sagemaker__WEBPACK_IMPORTED_MODULE_5__/* .DescribeEndpointCommand */ .C({ EndpointName: endpointName }));
        const status = ep.EndpointStatus ?? 'Unknown';
        const configName = ep.EndpointConfigName;
        const expected = expectedConfigName(template, r.LogicalResourceId, resources);
        const alarmNames = (ep.LastDeploymentConfig?.AutoRollbackConfiguration?.Alarms ?? []).map((a) => a.AlarmName).filter(Boolean);
        const check = {
            logicalId: r.LogicalResourceId,
            endpointName: ep.EndpointName ?? endpointName,
            status,
            configName,
            expectedConfigName: expected,
            ok: true,
            firedAlarms: [],
        };
        // SageMaker lowercases names in ARNs, so compare names without case.
        const onExpected = !expected || (configName ?? '').toLowerCase() === expected.toLowerCase();
        if (status !== 'InService') {
            check.ok = false;
            check.problem = `is ${status}${ep.FailureReason ? `: ${ep.FailureReason}` : ''}`;
        }
        else if (!onExpected) {
            check.ok = false;
            check.firedAlarms = await findFiredAlarms(clients.cloudwatch, alarmNames, since);
            const alarms = check.firedAlarms.length
                ? `alarm${check.firedAlarms.length > 1 ? 's' : ''} ${check.firedAlarms.join(', ')} fired during the deployment`
                : `no alarm of its rollback configuration (${alarmNames.join(', ') || 'none'}) is recorded in ALARM; see the endpoint's events`;
            check.problem =
                `was rolled back by deployment guardrails: it is InService on endpoint config ${configName}, ` +
                    `not on ${expected} that this deploy created; ${alarms}`;
        }
        checks.push(check);
    }
    return checks;
}


/***/ })

};
