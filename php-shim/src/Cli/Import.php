<?php
/**
 * `workos sync import` and `workos sync orgs`: WorkOS's users and
 * organizations copied into WordPress, under the names, options and
 * summaries of the "Integration with WorkOS" plugin (REFERENCE-API §7).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Api;
use WorkOS_WP\Organizations;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * WorkOS's lists are read a page (100) at a time with `after` cursors;
 * `--limit` counts every item looked at (imported, failed or skipped). A
 * user is imported through the sign-in rules (Users::resolve: verified
 * email only, linked by that email or created with the default role).
 */
final class Import {

	/** WorkOS's largest page. */
	private const PAGE = 100;

	/** `sync import` help. */
	public const HELP_USERS = array(
		'summary'   => "Imports WorkOS's users into WordPress (linked by verified email, or created with the default role).",
		'usage'     => '[--organization_id=<org_id>] [--limit=<n>] [--dry-run] [--yes] [--format=table|json|csv|yaml]',
		'arguments' => array(),
		'options'   => array(
			'--organization_id=<id>' => "only this organization's members",
			'--limit=<n>'            => 'at most this many users looked at (imported, failed or skipped; default: all)',
			'--dry-run'              => 'list what would be imported, change nothing',
			'--yes'                  => 'do not ask for confirmation (WP-CLI asks without it)',
			'--format=<format>'      => 'the users imported, failed or that would be imported: table (default), json, csv or yaml',
		),
		'examples'  => array( 'sync import --dry-run', 'sync import --organization_id=org_01H5K3ZPXQ4F8N2V7RBJ6T9WMA --yes' ),
	);

	/** `sync orgs` help. */
	public const HELP_ORGS = array(
		'summary'   => "Copies WorkOS's organizations into the local organization table.",
		'usage'     => '[--limit=<n>] [--dry-run] [--yes] [--format=table|json|csv|yaml]',
		'arguments' => array(),
		'options'   => array(
			'--limit=<n>'       => 'at most this many organizations (default: all)',
			'--dry-run'         => 'list what would be copied, change nothing',
			'--yes'             => 'do not ask for confirmation (WP-CLI asks without it)',
			'--format=<format>' => 'table (default), json, csv or yaml',
		),
		'examples'  => array( 'sync orgs --dry-run', 'sync orgs --yes' ),
	);

	/** What WP-CLI asks before running each (without --yes or --dry-run). */
	public const CONFIRM = array(
		'sync import' => 'Import WorkOS users into WordPress?',
		'sync orgs'   => 'Import all organizations from WorkOS?',
	);

	/**
	 * `sync import`.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 * @throws CommandError On bad input or when WorkOS cannot be read.
	 */
	public static function users( array $args, array $assoc ): Result {
		$dry    = ! empty( $assoc['dry-run'] );
		$limit  = Options::limit( $assoc, PHP_INT_MAX );
		$filter = array();
		if ( isset( $assoc['organization_id'] ) ) {
			$org = (string) $assoc['organization_id'];
			if ( 1 !== preg_match( '/^org_[A-Za-z0-9]{1,64}$/D', $org ) ) {
				throw new CommandError( '--organization_id must be a WorkOS organization id (org_…).' );
			}
			$filter['organization_id'] = $org;
		}
		$counts = array(
			'imported' => 0,
			'failed'   => 0,
			'skipped'  => 0,
		);
		$rows   = array();
		$role   = Settings::get( 'default_role' );
		self::each(
			static fn( array $page ) => Api::client()->listUsers( $filter + $page ),
			$limit,
			static function ( array $remote ) use ( $dry, $role, &$counts, &$rows ) {
				$id    = (string) ( $remote['id'] ?? '' );
				$email = (string) ( $remote['email'] ?? '' );
				if ( '' !== $id && Users::find_linked( $id ) ) {
					++$counts['skipped'];
					return;
				}
				if ( $dry ) {
					++$counts['imported'];
					$rows[] = self::user_row( $id, $email, 'would import', '' );
					return;
				}
				$user = Users::resolve( $remote, $role, 'cli' );
				if ( is_wp_error( $user ) ) {
					++$counts['failed'];
					$rows[] = self::user_row( $id, $email, 'failed', $user->get_error_message() );
					return;
				}
				++$counts['imported'];
				$rows[] = self::user_row( $id, $email, 'imported', 'user #' . $user->ID );
			}
		);
		return new Result(
			$rows,
			array( 'workos_user_id', 'email', 'result', 'note' ),
			sprintf( '%s: %d imported, %d failed, %d skipped.', $dry ? 'Would import' : 'Imported', $counts['imported'], $counts['failed'], $counts['skipped'] )
		);
	}

	/**
	 * `sync orgs`.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 * @throws CommandError On bad input or when WorkOS cannot be read.
	 */
	public static function orgs( array $args, array $assoc ): Result {
		$dry    = ! empty( $assoc['dry-run'] );
		$limit  = Options::limit( $assoc, PHP_INT_MAX );
		$counts = array(
			'synced'  => 0,
			'failed'  => 0,
			'skipped' => 0,
		);
		$rows   = array();
		Schema::ensure();
		self::each(
			static fn( array $page ) => Api::client()->listOrganizations( $page ),
			$limit,
			static function ( array $org ) use ( $dry, &$counts, &$rows ) {
				$ok = $dry || 'stored' === Organizations::upserted( $org );
				++$counts[ $ok ? 'synced' : 'failed' ];
				$rows[] = array(
					'workos_org_id' => (string) ( $org['id'] ?? '' ),
					'name'          => (string) ( $org['name'] ?? '' ),
					'result'        => $dry ? 'would import' : ( $ok ? 'synced' : 'failed' ),
				);
			}
		);
		return new Result(
			$rows,
			array( 'workos_org_id', 'name', 'result' ),
			sprintf( '%s: %d synced, %d failed, %d skipped.', $dry ? 'Would import' : 'Imported', $counts['synced'], $counts['failed'], $counts['skipped'] )
		);
	}

	/**
	 * Calls `$visit` for each item of a WorkOS list, page after page, until
	 * the list or `$limit` ends.
	 *
	 * @param callable $fetch Page params (limit, after) → WorkOS's list answer.
	 * @param int      $limit Most items looked at.
	 * @param callable $visit Receives each item.
	 * @throws CommandError When WorkOS cannot be read.
	 */
	private static function each( callable $fetch, int $limit, callable $visit ): void {
		$after = null;
		$seen  = 0;
		do {
			$page = array( 'limit' => self::PAGE );
			if ( null !== $after ) {
				$page['after'] = $after;
			}
			try {
				$answer = $fetch( $page );
			} catch ( \WorkOS\Native\Exception $e ) {
				throw CommandError::from_workos( $e );
			}
			foreach ( is_array( $answer['data'] ?? null ) ? $answer['data'] : array() as $item ) {
				if ( $seen >= $limit ) {
					return;
				}
				++$seen;
				if ( is_array( $item ) ) {
					$visit( $item );
				}
			}
			$after = $answer['list_metadata']['after'] ?? null;
		} while ( is_string( $after ) && '' !== $after && $seen < $limit );
	}

	/**
	 * One user line of the report.
	 *
	 * @param string $id     WorkOS id.
	 * @param string $email  Address.
	 * @param string $result What happened.
	 * @param string $note   Why, or who they are now.
	 */
	private static function user_row( string $id, string $email, string $result, string $note ): array {
		return array(
			'workos_user_id' => $id,
			'email'          => $email,
			'result'         => $result,
			'note'           => $note,
		);
	}
}
