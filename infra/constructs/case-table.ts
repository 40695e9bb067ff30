import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeKeyPolicy } from './encryption';
import type { TableAccess } from '../../functions/api/routes';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/store/table-design';

export interface CaseTableProps {
  readonly removalPolicy: RemovalPolicy;
}

// Transactions need no actions of their own: IAM checks each item operation inside them.
// No Scan anywhere: every read is by key or by an index's partition (functions/ never scans), so
// no role may read the whole table in one call.
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const INDEX_READ_ACTIONS = ['dynamodb:Query'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** The one table of table-design.ts, encrypted with its own key. */
export class CaseTable extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: CaseTableProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the linked-resolution case table (complainants are personal data)',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    acknowledgeKeyPolicy(this.key);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });

    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * Names the table and each index ARN instead of `<table>/index/*` (indexes can only be
   * queried), and grants the key
   * only what DynamoDB needs on the caller's behalf (no ReEncrypt, no wildcard actions).
   */
  grantData(grantee: IGrantable, access: TableAccess): void {
    if (access === 'describe') {
      // The table's status and no more: no item, no index, no key.
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [this.table.tableArn] }),
      );
      return;
    }
    const writes = access === 'read-write';
    const indexArns = Object.values(INDEXES).map((index) => `${this.table.tableArn}/index/${index.name}`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: writes ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS,
        resources: [this.table.tableArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: INDEX_READ_ACTIONS, resources: indexArns }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: writes
          ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
          : ['kms:Decrypt', 'kms:DescribeKey'],
        resources: [this.key.keyArn],
      }),
    );
  }
}
