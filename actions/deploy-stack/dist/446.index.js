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
//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozLCJmaWxlIjoiZW5kcG9pbnRzLmpzIiwic291cmNlUm9vdCI6IiIsInNvdXJjZXMiOlsiZmlsZTovLy93b3JrL21haW4vYWN0aW9ucy9kZXBsb3ktc3RhY2svc3JjL2VuZHBvaW50cy50cyJdLCJuYW1lcyI6W10sIm1hcHBpbmdzIjoiQUFBQSxPQUFPLEVBQUUseUJBQXlCLEVBQXdELE1BQU0sZ0NBQWdDLENBQUM7QUFDakksbUdBQW1HO0FBQ25HLHlEQUF5RDtBQUN6RCxPQUFPLEVBQUUsZ0JBQWdCLEVBQUUsMkJBQTJCLEVBQUUscUJBQXFCLEVBQUUsTUFBTSw0QkFBNEIsQ0FBQztBQUNsSCxPQUFPLEVBQUUsdUJBQXVCLEVBQUUsZUFBZSxFQUFFLE1BQU0sMkJBQTJCLENBQUM7QUFJckYsT0FBTyxFQUFFLGdCQUFnQixFQUFFLGVBQWUsRUFBRSxDQUFDO0FBYzdDLE1BQU0sQ0FBQyxLQUFLLFVBQVUsa0JBQWtCLENBQUMsR0FBeUIsRUFBRSxTQUFpQjtJQUNuRixNQUFNLFNBQVMsR0FBMkIsRUFBRSxDQUFDO0lBQzdDLElBQUksS0FBeUIsQ0FBQztJQUM5QixHQUFHLENBQUM7UUFDRixNQUFNLEdBQUcsR0FBRyxNQUFNLEdBQUcsQ0FBQyxJQUFJLENBQUMsSUFBSSx5QkFBeUIsQ0FBQyxFQUFFLFNBQVMsRUFBRSxTQUFTLEVBQUUsU0FBUyxFQUFFLEtBQUssRUFBRSxDQUFDLENBQUMsQ0FBQztRQUN0RyxTQUFTLENBQUMsSUFBSSxDQUFDLEdBQUcsQ0FBQyxHQUFHLENBQUMsc0JBQXNCLElBQUksRUFBRSxDQUFDLENBQUMsQ0FBQztRQUN0RCxLQUFLLEdBQUcsR0FBRyxDQUFDLFNBQVMsQ0FBQztJQUN4QixDQUFDLFFBQVEsS0FBSyxFQUFFO0lBQ2hCLE9BQU8sU0FBUyxDQUFDO0FBQ25CLENBQUM7QUFFRCwyRkFBMkY7QUFDM0YsTUFBTSxVQUFVLFdBQVcsQ0FBQyxFQUFVO0lBQ3BDLE1BQU0sQ0FBQyxHQUFHLEVBQUUsQ0FBQyxLQUFLLENBQUMsb0RBQW9ELENBQUMsQ0FBQztJQUN6RSxPQUFPLENBQUMsQ0FBQyxDQUFDLENBQUMsQ0FBQyxDQUFDLENBQUMsQ0FBQyxDQUFDLENBQUMsQ0FBQyxFQUFFLENBQUM7QUFDdkIsQ0FBQztBQUVELGlHQUFpRztBQUNqRyxTQUFTLGtCQUFrQixDQUFDLFFBQWtCLEVBQUUsU0FBaUIsRUFBRSxTQUFpQztJQUNsRyxNQUFNLElBQUksR0FBRyxRQUFRLENBQUMsU0FBUyxDQUFDLFNBQVMsQ0FBQyxFQUFFLFVBQVUsRUFBRSxrQkFBNkIsQ0FBQztJQUN0RixJQUFJLE9BQU8sSUFBSSxLQUFLLFFBQVE7UUFBRSxPQUFPLElBQUksQ0FBQztJQUMxQyxNQUFNLE1BQU0sR0FBSSxJQUFxQyxFQUFFLEdBQUcsSUFBSyxJQUFnRCxFQUFFLENBQUMsWUFBWSxDQUFDLEVBQUUsQ0FBQyxDQUFDLENBQUMsQ0FBQztJQUNySSxNQUFNLFFBQVEsR0FBRyxTQUFTLENBQUMsSUFBSSxDQUFDLENBQUMsQ0FBQyxFQUFFLEVBQUUsQ0FBQyxDQUFDLENBQUMsaUJBQWlCLEtBQUssTUFBTSxDQUFDLEVBQUUsa0JBQWtCLENBQUM7SUFDM0YsT0FBTyxRQUFRLENBQUMsQ0FBQyxDQUFDLFdBQVcsQ0FBQyxRQUFRLENBQUMsQ0FBQyxDQUFDLENBQUMsU0FBUyxDQUFDO0FBQ3RELENBQUM7QUFFRDs7OztHQUlHO0FBQ0gsTUFBTSxDQUFDLEtBQUssVUFBVSxlQUFlLENBQUMsVUFBb0MsRUFBRSxVQUFvQixFQUFFLEtBQVc7SUFDM0csSUFBSSxVQUFVLENBQUMsTUFBTSxLQUFLLENBQUM7UUFBRSxPQUFPLEVBQUUsQ0FBQztJQUN2QyxNQUFNLEtBQUssR0FBRyxJQUFJLEdBQUcsRUFBVSxDQUFDO0lBQ2hDLEtBQUssTUFBTSxJQUFJLElBQUksVUFBVSxFQUFFLENBQUM7UUFDOUIsTUFBTSxPQUFPLEdBQUcsTUFBTSxVQUFVLENBQUMsSUFBSSxDQUNuQyxJQUFJLDJCQUEyQixDQUFDLEVBQUUsU0FBUyxFQUFFLElBQUksRUFBRSxlQUFlLEVBQUUsYUFBYSxFQUFFLFNBQVMsRUFBRSxLQUFLLEVBQUUsVUFBVSxFQUFFLEdBQUcsRUFBRSxDQUFDLENBQ3hILENBQUM7UUFDRixJQUFJLENBQUMsT0FBTyxDQUFDLGlCQUFpQixJQUFJLEVBQUUsQ0FBQyxDQUFDLElBQUksQ0FBQyxDQUFDLENBQUMsRUFBRSxFQUFFLENBQUMsVUFBVSxDQUFDLElBQUksQ0FBQyxDQUFDLENBQUMsY0FBYyxJQUFJLEVBQUUsQ0FBQyxDQUFDO1lBQUUsS0FBSyxDQUFDLEdBQUcsQ0FBQyxJQUFJLENBQUMsQ0FBQztJQUM5RyxDQUFDO0lBQ0QsTUFBTSxHQUFHLEdBQUcsTUFBTSxVQUFVLENBQUMsSUFBSSxDQUFDLElBQUkscUJBQXFCLENBQUMsRUFBRSxVQUFVLEVBQUUsVUFBVSxFQUFFLFVBQVUsRUFBRSxPQUFPLEVBQUUsQ0FBQyxDQUFDLENBQUM7SUFDOUcsS0FBSyxNQUFNLEtBQUssSUFBSSxHQUFHLENBQUMsWUFBWSxJQUFJLEVBQUU7UUFBRSxJQUFJLEtBQUssQ0FBQyxTQUFTO1lBQUUsS0FBSyxDQUFDLEdBQUcsQ0FBQyxLQUFLLENBQUMsU0FBUyxDQUFDLENBQUM7SUFDNUYsT0FBTyxVQUFVLENBQUMsTUFBTSxDQUFDLENBQUMsQ0FBQyxFQUFFLEVBQUUsQ0FBQyxLQUFLLENBQUMsR0FBRyxDQUFDLENBQUMsQ0FBQyxDQUFDLENBQUM7QUFDaEQsQ0FBQztBQUVEOzs7R0FHRztBQUNILE1BQU0sQ0FBQyxLQUFLLFVBQVUsc0JBQXNCLENBQzFDLE9BQXFGLEVBQ3JGLFlBQW9CLEVBQ3BCLEtBQVc7SUFFWCxNQUFNLEVBQUUsR0FBRyxNQUFNLE9BQU8sQ0FBQyxTQUFTLENBQUMsSUFBSSxDQUFDLElBQUksdUJBQXVCLENBQUMsRUFBRSxZQUFZLEVBQUUsWUFBWSxFQUFFLENBQUMsQ0FBQyxDQUFDO0lBQ3JHLE1BQU0sVUFBVSxHQUFHLENBQUMsRUFBRSxDQUFDLG9CQUFvQixFQUFFLHlCQUF5QixFQUFFLE1BQU0sSUFBSSxFQUFFLENBQUMsQ0FBQyxHQUFHLENBQUMsQ0FBQyxDQUFDLEVBQUUsRUFBRSxDQUFDLENBQUMsQ0FBQyxTQUFVLENBQUMsQ0FBQyxNQUFNLENBQUMsT0FBTyxDQUFDLENBQUM7SUFDL0gsTUFBTSxLQUFLLEdBQUcsTUFBTSxlQUFlLENBQUMsT0FBTyxDQUFDLFVBQVUsRUFBRSxVQUFVLEVBQUUsS0FBSyxDQUFDLENBQUM7SUFDM0UsSUFBSSxLQUFLLENBQUMsTUFBTSxLQUFLLENBQUM7UUFBRSxPQUFPLFNBQVMsQ0FBQztJQUN6QyxPQUFPLHlDQUF5QyxZQUFZLGVBQWUsS0FBSyxDQUFDLE1BQU0sR0FBRyxDQUFDLENBQUMsQ0FBQyxDQUFDLEdBQUcsQ0FBQyxDQUFDLENBQUMsRUFBRSxJQUFJLEtBQUssQ0FBQyxJQUFJLENBQUMsSUFBSSxDQUFDLFFBQVEsQ0FBQztBQUNySSxDQUFDO0FBRUQsc0dBQXNHO0FBQ3RHLE1BQU0sQ0FBQyxLQUFLLFVBQVUsY0FBYyxDQUNsQyxPQUFnSCxFQUNoSCxTQUFpQixFQUNqQixRQUFrQixFQUNsQixLQUFXO0lBRVgsTUFBTSxTQUFTLEdBQUcsTUFBTSxrQkFBa0IsQ0FBQyxPQUFPLENBQUMsR0FBRyxFQUFFLFNBQVMsQ0FBQyxDQUFDO0lBQ25FLE1BQU0sTUFBTSxHQUFvQixFQUFFLENBQUM7SUFDbkMsS0FBSyxNQUFNLENBQUMsSUFBSSxTQUFTLENBQUMsTUFBTSxDQUFDLENBQUMsQ0FBQyxFQUFFLEVBQUUsQ0FBQyxDQUFDLENBQUMsWUFBWSxLQUFLLDBCQUEwQixJQUFJLENBQUMsQ0FBQyxrQkFBa0IsQ0FBQyxFQUFFLENBQUM7UUFDL0csTUFBTSxZQUFZLEdBQUcsV0FBVyxDQUFDLENBQUMsQ0FBQyxrQkFBbUIsQ0FBQyxDQUFDO1FBQ3hELE1BQU0sRUFBRSxHQUFHLE1BQU0sT0FBTyxDQUFDLFNBQVMsQ0FBQyxJQUFJLENBQUMsSUFBSSx1QkFBdUIsQ0FBQyxFQUFFLFlBQVksRUFBRSxZQUFZLEVBQUUsQ0FBQyxDQUFDLENBQUM7UUFDckcsTUFBTSxNQUFNLEdBQUcsRUFBRSxDQUFDLGNBQWMsSUFBSSxTQUFTLENBQUM7UUFDOUMsTUFBTSxVQUFVLEdBQUcsRUFBRSxDQUFDLGtCQUFrQixDQUFDO1FBQ3pDLE1BQU0sUUFBUSxHQUFHLGtCQUFrQixDQUFDLFFBQVEsRUFBRSxDQUFDLENBQUMsaUJBQWtCLEVBQUUsU0FBUyxDQUFDLENBQUM7UUFDL0UsTUFBTSxVQUFVLEdBQUcsQ0FBQyxFQUFFLENBQUMsb0JBQW9CLEVBQUUseUJBQXlCLEVBQUUsTUFBTSxJQUFJLEVBQUUsQ0FBQyxDQUFDLEdBQUcsQ0FBQyxDQUFDLENBQUMsRUFBRSxFQUFFLENBQUMsQ0FBQyxDQUFDLFNBQVUsQ0FBQyxDQUFDLE1BQU0sQ0FBQyxPQUFPLENBQUMsQ0FBQztRQUMvSCxNQUFNLEtBQUssR0FBa0I7WUFDM0IsU0FBUyxFQUFFLENBQUMsQ0FBQyxpQkFBa0I7WUFDL0IsWUFBWSxFQUFFLEVBQUUsQ0FBQyxZQUFZLElBQUksWUFBWTtZQUM3QyxNQUFNO1lBQ04sVUFBVTtZQUNWLGtCQUFrQixFQUFFLFFBQVE7WUFDNUIsRUFBRSxFQUFFLElBQUk7WUFDUixXQUFXLEVBQUUsRUFBRTtTQUNoQixDQUFDO1FBQ0YscUVBQXFFO1FBQ3JFLE1BQU0sVUFBVSxHQUFHLENBQUMsUUFBUSxJQUFJLENBQUMsVUFBVSxJQUFJLEVBQUUsQ0FBQyxDQUFDLFdBQVcsRUFBRSxLQUFLLFFBQVEsQ0FBQyxXQUFXLEVBQUUsQ0FBQztRQUM1RixJQUFJLE1BQU0sS0FBSyxXQUFXLEVBQUUsQ0FBQztZQUMzQixLQUFLLENBQUMsRUFBRSxHQUFHLEtBQUssQ0FBQztZQUNqQixLQUFLLENBQUMsT0FBTyxHQUFHLE1BQU0sTUFBTSxHQUFHLEVBQUUsQ0FBQyxhQUFhLENBQUMsQ0FBQyxDQUFDLEtBQUssRUFBRSxDQUFDLGFBQWEsRUFBRSxDQUFDLENBQUMsQ0FBQyxFQUFFLEVBQUUsQ0FBQztRQUNuRixDQUFDO2FBQU0sSUFBSSxDQUFDLFVBQVUsRUFBRSxDQUFDO1lBQ3ZCLEtBQUssQ0FBQyxFQUFFLEdBQUcsS0FBSyxDQUFDO1lBQ2pCLEtBQUssQ0FBQyxXQUFXLEdBQUcsTUFBTSxlQUFlLENBQUMsT0FBTyxDQUFDLFVBQVUsRUFBRSxVQUFVLEVBQUUsS0FBSyxDQUFDLENBQUM7WUFDakYsTUFBTSxNQUFNLEdBQUcsS0FBSyxDQUFDLFdBQVcsQ0FBQyxNQUFNO2dCQUNyQyxDQUFDLENBQUMsUUFBUSxLQUFLLENBQUMsV0FBVyxDQUFDLE1BQU0sR0FBRyxDQUFDLENBQUMsQ0FBQyxDQUFDLEdBQUcsQ0FBQyxDQUFDLENBQUMsRUFBRSxJQUFJLEtBQUssQ0FBQyxXQUFXLENBQUMsSUFBSSxDQUFDLElBQUksQ0FBQyw4QkFBOEI7Z0JBQy9HLENBQUMsQ0FBQywyQ0FBMkMsVUFBVSxDQUFDLElBQUksQ0FBQyxJQUFJLENBQUMsSUFBSSxNQUFNLG1EQUFtRCxDQUFDO1lBQ2xJLEtBQUssQ0FBQyxPQUFPO2dCQUNYLGdGQUFnRixVQUFVLElBQUk7b0JBQzlGLFVBQVUsUUFBUSw4QkFBOEIsTUFBTSxFQUFFLENBQUM7UUFDN0QsQ0FBQztRQUNELE1BQU0sQ0FBQyxJQUFJLENBQUMsS0FBSyxDQUFDLENBQUM7SUFDckIsQ0FBQztJQUNELE9BQU8sTUFBTSxDQUFDO0FBQ2hCLENBQUMiLCJzb3VyY2VzQ29udGVudCI6WyJpbXBvcnQgeyBMaXN0U3RhY2tSZXNvdXJjZXNDb21tYW5kLCB0eXBlIENsb3VkRm9ybWF0aW9uQ2xpZW50LCB0eXBlIFN0YWNrUmVzb3VyY2VTdW1tYXJ5IH0gZnJvbSAnI2F3cy1zZGsvY2xpZW50LWNsb3VkZm9ybWF0aW9uJztcbi8vIExvYWRlZCB3aXRoIGltcG9ydCgpIG9uY2UgdGhlIHN0YWNrIGhhcyBkZXBsb3llZCAoc2VlIGxhenlDbGllbnQpOiBTYWdlTWFrZXIgYW5kIENsb3VkV2F0Y2ggc3RheVxuLy8gb3V0IG9mIHRoZSBhY3Rpb24ncyBzdGFydCwgYW5kIG91dCBvZiBhIHBsYW4gZW50aXJlbHkuXG5pbXBvcnQgeyBDbG91ZFdhdGNoQ2xpZW50LCBEZXNjcmliZUFsYXJtSGlzdG9yeUNvbW1hbmQsIERlc2NyaWJlQWxhcm1zQ29tbWFuZCB9IGZyb20gJyNhd3Mtc2RrL2NsaWVudC1jbG91ZHdhdGNoJztcbmltcG9ydCB7IERlc2NyaWJlRW5kcG9pbnRDb21tYW5kLCBTYWdlTWFrZXJDbGllbnQgfSBmcm9tICcjYXdzLXNkay9jbGllbnQtc2FnZW1ha2VyJztcbmltcG9ydCB0eXBlIHsgVGVtcGxhdGUgfSBmcm9tICcuLi8uLi8uLi9jb3JlL2Nmbi10ZW1wbGF0ZS5qcyc7XG5pbXBvcnQgdHlwZSB7IFNlbmRlciB9IGZyb20gJy4uLy4uL2xpYi9hd3MuanMnO1xuXG5leHBvcnQgeyBDbG91ZFdhdGNoQ2xpZW50LCBTYWdlTWFrZXJDbGllbnQgfTtcblxuZXhwb3J0IGludGVyZmFjZSBFbmRwb2ludENoZWNrIHtcbiAgbG9naWNhbElkOiBzdHJpbmc7XG4gIGVuZHBvaW50TmFtZTogc3RyaW5nO1xuICBzdGF0dXM6IHN0cmluZztcbiAgY29uZmlnTmFtZT86IHN0cmluZztcbiAgZXhwZWN0ZWRDb25maWdOYW1lPzogc3RyaW5nO1xuICBvazogYm9vbGVhbjtcbiAgLyoqIFdoeSB0aGUgZW5kcG9pbnQgaXMgbm90IHdoYXQgdGhpcyBkZXBsb3kgYXNrZWQgZm9yLiAqL1xuICBwcm9ibGVtPzogc3RyaW5nO1xuICBmaXJlZEFsYXJtczogc3RyaW5nW107XG59XG5cbmV4cG9ydCBhc3luYyBmdW5jdGlvbiBsaXN0U3RhY2tSZXNvdXJjZXMoY2ZuOiBDbG91ZEZvcm1hdGlvbkNsaWVudCwgc3RhY2tOYW1lOiBzdHJpbmcpOiBQcm9taXNlPFN0YWNrUmVzb3VyY2VTdW1tYXJ5W10+IHtcbiAgY29uc3QgcmVzb3VyY2VzOiBTdGFja1Jlc291cmNlU3VtbWFyeVtdID0gW107XG4gIGxldCB0b2tlbjogc3RyaW5nIHwgdW5kZWZpbmVkO1xuICBkbyB7XG4gICAgY29uc3Qgb3V0ID0gYXdhaXQgY2ZuLnNlbmQobmV3IExpc3RTdGFja1Jlc291cmNlc0NvbW1hbmQoeyBTdGFja05hbWU6IHN0YWNrTmFtZSwgTmV4dFRva2VuOiB0b2tlbiB9KSk7XG4gICAgcmVzb3VyY2VzLnB1c2goLi4uKG91dC5TdGFja1Jlc291cmNlU3VtbWFyaWVzID8/IFtdKSk7XG4gICAgdG9rZW4gPSBvdXQuTmV4dFRva2VuO1xuICB9IHdoaWxlICh0b2tlbik7XG4gIHJldHVybiByZXNvdXJjZXM7XG59XG5cbi8qKiBgYXJuOmF3czpzYWdlbWFrZXI6cjphOmVuZHBvaW50LWNvbmZpZy9uYW1lYCAtPiBgbmFtZWA7IGEgcGxhaW4gbmFtZSBzdGF5cyBhcyBpdCBpcy4gKi9cbmV4cG9ydCBmdW5jdGlvbiBuYW1lRnJvbUFybihpZDogc3RyaW5nKTogc3RyaW5nIHtcbiAgY29uc3QgbSA9IGlkLm1hdGNoKC9eYXJuOmF3c1thLXotXSo6c2FnZW1ha2VyOlteOl0qOlxcZCo6W2Etei1dK1xcLyguKykkLyk7XG4gIHJldHVybiBtID8gbVsxXSA6IGlkO1xufVxuXG4vKiogVGhlIEVuZHBvaW50Q29uZmlnIHRoaXMgc3RhY2sncyB0ZW1wbGF0ZSBwb2ludHMgdGhlIGVuZHBvaW50IGF0LCBhcyB0aGUgc3RhY2sgZGVwbG95ZWQgaXQuICovXG5mdW5jdGlvbiBleHBlY3RlZENvbmZpZ05hbWUodGVtcGxhdGU6IFRlbXBsYXRlLCBsb2dpY2FsSWQ6IHN0cmluZywgcmVzb3VyY2VzOiBTdGFja1Jlc291cmNlU3VtbWFyeVtdKTogc3RyaW5nIHwgdW5kZWZpbmVkIHtcbiAgY29uc3QgcHJvcCA9IHRlbXBsYXRlLlJlc291cmNlc1tsb2dpY2FsSWRdPy5Qcm9wZXJ0aWVzPy5FbmRwb2ludENvbmZpZ05hbWUgYXMgdW5rbm93bjtcbiAgaWYgKHR5cGVvZiBwcm9wID09PSAnc3RyaW5nJykgcmV0dXJuIHByb3A7XG4gIGNvbnN0IHRhcmdldCA9IChwcm9wIGFzIHsgUmVmPzogc3RyaW5nIH0gfCB1bmRlZmluZWQpPy5SZWYgPz8gKHByb3AgYXMgeyAnRm46OkdldEF0dCc/OiBzdHJpbmdbXSB9IHwgdW5kZWZpbmVkKT8uWydGbjo6R2V0QXR0J10/LlswXTtcbiAgY29uc3QgcGh5c2ljYWwgPSByZXNvdXJjZXMuZmluZCgocikgPT4gci5Mb2dpY2FsUmVzb3VyY2VJZCA9PT0gdGFyZ2V0KT8uUGh5c2ljYWxSZXNvdXJjZUlkO1xuICByZXR1cm4gcGh5c2ljYWwgPyBuYW1lRnJvbUFybihwaHlzaWNhbCkgOiB1bmRlZmluZWQ7XG59XG5cbi8qKlxuICogQWxhcm1zIG9mIHRoZSBlbmRwb2ludCdzIHJvbGxiYWNrIGNvbmZpZ3VyYXRpb24gdGhhdCB3ZW50IGludG8gQUxBUk0gc2luY2UgYHNpbmNlYCwgb3IgYXJlIGluIGl0IG5vdy5cbiAqIEd1YXJkcmFpbHMgcm9sbCBiYWNrIHNpbGVudGx5ICh0aGUgZW5kcG9pbnQgZW5kcyBJblNlcnZpY2Ugb24gaXRzIG9sZCBjb25maWcpLCBzbyB0aGUgYWxhcm0gaXNcbiAqIHRoZSBvbmx5IHJlY29yZCBvZiB3aHkuXG4gKi9cbmV4cG9ydCBhc3luYyBmdW5jdGlvbiBmaW5kRmlyZWRBbGFybXMoY2xvdWR3YXRjaDogU2VuZGVyPENsb3VkV2F0Y2hDbGllbnQ+LCBhbGFybU5hbWVzOiBzdHJpbmdbXSwgc2luY2U6IERhdGUpOiBQcm9taXNlPHN0cmluZ1tdPiB7XG4gIGlmIChhbGFybU5hbWVzLmxlbmd0aCA9PT0gMCkgcmV0dXJuIFtdO1xuICBjb25zdCBmaXJlZCA9IG5ldyBTZXQ8c3RyaW5nPigpO1xuICBmb3IgKGNvbnN0IG5hbWUgb2YgYWxhcm1OYW1lcykge1xuICAgIGNvbnN0IGhpc3RvcnkgPSBhd2FpdCBjbG91ZHdhdGNoLnNlbmQoXG4gICAgICBuZXcgRGVzY3JpYmVBbGFybUhpc3RvcnlDb21tYW5kKHsgQWxhcm1OYW1lOiBuYW1lLCBIaXN0b3J5SXRlbVR5cGU6ICdTdGF0ZVVwZGF0ZScsIFN0YXJ0RGF0ZTogc2luY2UsIE1heFJlY29yZHM6IDEwMCB9KSxcbiAgICApO1xuICAgIGlmICgoaGlzdG9yeS5BbGFybUhpc3RvcnlJdGVtcyA/PyBbXSkuc29tZSgoaCkgPT4gL3RvIEFMQVJNLy50ZXN0KGguSGlzdG9yeVN1bW1hcnkgPz8gJycpKSkgZmlyZWQuYWRkKG5hbWUpO1xuICB9XG4gIGNvbnN0IG5vdyA9IGF3YWl0IGNsb3Vkd2F0Y2guc2VuZChuZXcgRGVzY3JpYmVBbGFybXNDb21tYW5kKHsgQWxhcm1OYW1lczogYWxhcm1OYW1lcywgU3RhdGVWYWx1ZTogJ0FMQVJNJyB9KSk7XG4gIGZvciAoY29uc3QgYWxhcm0gb2Ygbm93Lk1ldHJpY0FsYXJtcyA/PyBbXSkgaWYgKGFsYXJtLkFsYXJtTmFtZSkgZmlyZWQuYWRkKGFsYXJtLkFsYXJtTmFtZSk7XG4gIHJldHVybiBhbGFybU5hbWVzLmZpbHRlcigobikgPT4gZmlyZWQuaGFzKG4pKTtcbn1cblxuLyoqXG4gKiBXaHkgYW4gZW5kcG9pbnQncyB1cGRhdGUgZmFpbGVkIGluc2lkZSBDbG91ZEZvcm1hdGlvbjogdGhlIGFsYXJtcyBvZiBpdHMgcm9sbGJhY2sgY29uZmlndXJhdGlvblxuICogdGhhdCBmaXJlZCBzaW5jZSBgc2luY2VgLCBpbiB3b3JkcyBmb3IgdGhlIGVycm9yIG1lc3NhZ2U7IHVuZGVmaW5lZCB3aGVuIG5vbmUgaXMgb24gcmVjb3JkLlxuICovXG5leHBvcnQgYXN5bmMgZnVuY3Rpb24gZXhwbGFpbkVuZHBvaW50RmFpbHVyZShcbiAgY2xpZW50czogeyBzYWdlbWFrZXI6IFNlbmRlcjxTYWdlTWFrZXJDbGllbnQ+OyBjbG91ZHdhdGNoOiBTZW5kZXI8Q2xvdWRXYXRjaENsaWVudD4gfSxcbiAgZW5kcG9pbnROYW1lOiBzdHJpbmcsXG4gIHNpbmNlOiBEYXRlLFxuKTogUHJvbWlzZTxzdHJpbmcgfCB1bmRlZmluZWQ+IHtcbiAgY29uc3QgZXAgPSBhd2FpdCBjbGllbnRzLnNhZ2VtYWtlci5zZW5kKG5ldyBEZXNjcmliZUVuZHBvaW50Q29tbWFuZCh7IEVuZHBvaW50TmFtZTogZW5kcG9pbnROYW1lIH0pKTtcbiAgY29uc3QgYWxhcm1OYW1lcyA9IChlcC5MYXN0RGVwbG95bWVudENvbmZpZz8uQXV0b1JvbGxiYWNrQ29uZmlndXJhdGlvbj8uQWxhcm1zID8/IFtdKS5tYXAoKGEpID0+IGEuQWxhcm1OYW1lISkuZmlsdGVyKEJvb2xlYW4pO1xuICBjb25zdCBmaXJlZCA9IGF3YWl0IGZpbmRGaXJlZEFsYXJtcyhjbGllbnRzLmNsb3Vkd2F0Y2gsIGFsYXJtTmFtZXMsIHNpbmNlKTtcbiAgaWYgKGZpcmVkLmxlbmd0aCA9PT0gMCkgcmV0dXJuIHVuZGVmaW5lZDtcbiAgcmV0dXJuIGBkZXBsb3ltZW50IGd1YXJkcmFpbHMgcm9sbGVkIGVuZHBvaW50ICR7ZW5kcG9pbnROYW1lfSBiYWNrOiBhbGFybSR7ZmlyZWQubGVuZ3RoID4gMSA/ICdzJyA6ICcnfSAke2ZpcmVkLmpvaW4oJywgJyl9IGZpcmVkYDtcbn1cblxuLyoqIENoZWNrcyB0aGF0IGV2ZXJ5IGVuZHBvaW50IGluIHRoZSBzdGFjayBpcyBJblNlcnZpY2Ugb24gdGhlIEVuZHBvaW50Q29uZmlnIHRoaXMgZGVwbG95IGNyZWF0ZWQuICovXG5leHBvcnQgYXN5bmMgZnVuY3Rpb24gY2hlY2tFbmRwb2ludHMoXG4gIGNsaWVudHM6IHsgY2ZuOiBDbG91ZEZvcm1hdGlvbkNsaWVudDsgc2FnZW1ha2VyOiBTZW5kZXI8U2FnZU1ha2VyQ2xpZW50PjsgY2xvdWR3YXRjaDogU2VuZGVyPENsb3VkV2F0Y2hDbGllbnQ+IH0sXG4gIHN0YWNrTmFtZTogc3RyaW5nLFxuICB0ZW1wbGF0ZTogVGVtcGxhdGUsXG4gIHNpbmNlOiBEYXRlLFxuKTogUHJvbWlzZTxFbmRwb2ludENoZWNrW10+IHtcbiAgY29uc3QgcmVzb3VyY2VzID0gYXdhaXQgbGlzdFN0YWNrUmVzb3VyY2VzKGNsaWVudHMuY2ZuLCBzdGFja05hbWUpO1xuICBjb25zdCBjaGVja3M6IEVuZHBvaW50Q2hlY2tbXSA9IFtdO1xuICBmb3IgKGNvbnN0IHIgb2YgcmVzb3VyY2VzLmZpbHRlcigoeCkgPT4geC5SZXNvdXJjZVR5cGUgPT09ICdBV1M6OlNhZ2VNYWtlcjo6RW5kcG9pbnQnICYmIHguUGh5c2ljYWxSZXNvdXJjZUlkKSkge1xuICAgIGNvbnN0IGVuZHBvaW50TmFtZSA9IG5hbWVGcm9tQXJuKHIuUGh5c2ljYWxSZXNvdXJjZUlkISk7XG4gICAgY29uc3QgZXAgPSBhd2FpdCBjbGllbnRzLnNhZ2VtYWtlci5zZW5kKG5ldyBEZXNjcmliZUVuZHBvaW50Q29tbWFuZCh7IEVuZHBvaW50TmFtZTogZW5kcG9pbnROYW1lIH0pKTtcbiAgICBjb25zdCBzdGF0dXMgPSBlcC5FbmRwb2ludFN0YXR1cyA/PyAnVW5rbm93bic7XG4gICAgY29uc3QgY29uZmlnTmFtZSA9IGVwLkVuZHBvaW50Q29uZmlnTmFtZTtcbiAgICBjb25zdCBleHBlY3RlZCA9IGV4cGVjdGVkQ29uZmlnTmFtZSh0ZW1wbGF0ZSwgci5Mb2dpY2FsUmVzb3VyY2VJZCEsIHJlc291cmNlcyk7XG4gICAgY29uc3QgYWxhcm1OYW1lcyA9IChlcC5MYXN0RGVwbG95bWVudENvbmZpZz8uQXV0b1JvbGxiYWNrQ29uZmlndXJhdGlvbj8uQWxhcm1zID8/IFtdKS5tYXAoKGEpID0+IGEuQWxhcm1OYW1lISkuZmlsdGVyKEJvb2xlYW4pO1xuICAgIGNvbnN0IGNoZWNrOiBFbmRwb2ludENoZWNrID0ge1xuICAgICAgbG9naWNhbElkOiByLkxvZ2ljYWxSZXNvdXJjZUlkISxcbiAgICAgIGVuZHBvaW50TmFtZTogZXAuRW5kcG9pbnROYW1lID8/IGVuZHBvaW50TmFtZSxcbiAgICAgIHN0YXR1cyxcbiAgICAgIGNvbmZpZ05hbWUsXG4gICAgICBleHBlY3RlZENvbmZpZ05hbWU6IGV4cGVjdGVkLFxuICAgICAgb2s6IHRydWUsXG4gICAgICBmaXJlZEFsYXJtczogW10sXG4gICAgfTtcbiAgICAvLyBTYWdlTWFrZXIgbG93ZXJjYXNlcyBuYW1lcyBpbiBBUk5zLCBzbyBjb21wYXJlIG5hbWVzIHdpdGhvdXQgY2FzZS5cbiAgICBjb25zdCBvbkV4cGVjdGVkID0gIWV4cGVjdGVkIHx8IChjb25maWdOYW1lID8/ICcnKS50b0xvd2VyQ2FzZSgpID09PSBleHBlY3RlZC50b0xvd2VyQ2FzZSgpO1xuICAgIGlmIChzdGF0dXMgIT09ICdJblNlcnZpY2UnKSB7XG4gICAgICBjaGVjay5vayA9IGZhbHNlO1xuICAgICAgY2hlY2sucHJvYmxlbSA9IGBpcyAke3N0YXR1c30ke2VwLkZhaWx1cmVSZWFzb24gPyBgOiAke2VwLkZhaWx1cmVSZWFzb259YCA6ICcnfWA7XG4gICAgfSBlbHNlIGlmICghb25FeHBlY3RlZCkge1xuICAgICAgY2hlY2sub2sgPSBmYWxzZTtcbiAgICAgIGNoZWNrLmZpcmVkQWxhcm1zID0gYXdhaXQgZmluZEZpcmVkQWxhcm1zKGNsaWVudHMuY2xvdWR3YXRjaCwgYWxhcm1OYW1lcywgc2luY2UpO1xuICAgICAgY29uc3QgYWxhcm1zID0gY2hlY2suZmlyZWRBbGFybXMubGVuZ3RoXG4gICAgICAgID8gYGFsYXJtJHtjaGVjay5maXJlZEFsYXJtcy5sZW5ndGggPiAxID8gJ3MnIDogJyd9ICR7Y2hlY2suZmlyZWRBbGFybXMuam9pbignLCAnKX0gZmlyZWQgZHVyaW5nIHRoZSBkZXBsb3ltZW50YFxuICAgICAgICA6IGBubyBhbGFybSBvZiBpdHMgcm9sbGJhY2sgY29uZmlndXJhdGlvbiAoJHthbGFybU5hbWVzLmpvaW4oJywgJykgfHwgJ25vbmUnfSkgaXMgcmVjb3JkZWQgaW4gQUxBUk07IHNlZSB0aGUgZW5kcG9pbnQncyBldmVudHNgO1xuICAgICAgY2hlY2sucHJvYmxlbSA9XG4gICAgICAgIGB3YXMgcm9sbGVkIGJhY2sgYnkgZGVwbG95bWVudCBndWFyZHJhaWxzOiBpdCBpcyBJblNlcnZpY2Ugb24gZW5kcG9pbnQgY29uZmlnICR7Y29uZmlnTmFtZX0sIGAgK1xuICAgICAgICBgbm90IG9uICR7ZXhwZWN0ZWR9IHRoYXQgdGhpcyBkZXBsb3kgY3JlYXRlZDsgJHthbGFybXN9YDtcbiAgICB9XG4gICAgY2hlY2tzLnB1c2goY2hlY2spO1xuICB9XG4gIHJldHVybiBjaGVja3M7XG59XG4iXX0=

/***/ })

};
