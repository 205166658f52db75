<?php
/**
 * Bulk sync between WordPress users and WorkOS users, many calls at a time
 * (WorkOS\Native\Client::createUsersMany, listUsersMany, getUsersMany),
 * retried when WorkOS rate-limits.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * `workos sync push` and `workos sync pull`.
 */
final class Sync {

	/** Calls per batch: progress is reported between batches. */
	public const BATCH = 100;

	/**
	 * Reports progress: (done, total).
	 *
	 * @var callable|null
	 */
	public static $progress = null;

	/**
	 * Push: every WordPress user not yet linked gets a WorkOS user (created,
	 * or an existing one with the same *verified* email) and is linked.
	 * WorkOS users created here are not claimed verified.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options: limit, concurrency, dry-run, role, include (only these
	 *                     user IDs: the onboarding wizard pushes a batch at a time), network
	 *                     (users of every site of a network, not only the current site's).
	 */
	public static function push( array $args, array $assoc ): Result {
		$query = array(
			'number'     => Options::limit( $assoc, 1000 ),
			'orderby'    => 'ID',
			'meta_query' => array( // phpcs:ignore WordPress.DB.SlowDBQuery
				array(
					'key'     => Users::META_ID,
					'compare' => 'NOT EXISTS',
				),
			),
		);
		if ( isset( $assoc['role'] ) && ! empty( $assoc['network'] ) ) {
			// WordPress ignores a role with blog_id 0: every user of the network would go
			// (the Network Admin wizard's push; no command-line option sets `network`).
			throw new CommandError( '--role cannot be combined with --network: roles are each site\'s.' );
		}
		if ( isset( $assoc['role'] ) ) {
			if ( ! wp_roles()->is_role( (string) $assoc['role'] ) ) {
				throw new CommandError( sprintf( 'There is no role "%s".', $assoc['role'] ) );
			}
			$query['role'] = (string) $assoc['role'];
		}
		if ( isset( $assoc['include'] ) ) {
			$query['include'] = wp_parse_id_list( $assoc['include'] );
		}
		if ( ! empty( $assoc['network'] ) ) {
			$query['blog_id'] = 0;
		}
		$users = get_users( $query );
		if ( ! empty( $assoc['dry-run'] ) ) {
			return new Result( array(), array(), sprintf( 'Dry run: %d unlinked user(s) would be pushed (nothing changed).', count( $users ) ) );
		}
		$started = microtime( true );
		$counts  = array(
			'created' => 0,
			'linked'  => 0,
			'skipped' => 0,
			'failed'  => 0,
		);
		$rows    = array();
		$created = self::batched(
			$users,
			static function ( array $chunk, int $concurrency ): array {
				$new = array_map(
					static function ( \WP_User $u ) {
						return array(
							'email'      => $u->user_email,
							'first_name' => $u->first_name,
							'last_name'  => $u->last_name,
						);
					},
					$chunk
				);
				return Api::client()->createUsersMany( $new, $concurrency );
			},
			$assoc
		);
		$taken = array();
		foreach ( $users as $i => $user ) {
			$r = $created[ $i ];
			if ( $r['ok'] && is_string( $r['body']['id'] ?? null ) ) {
				Users::link( $user, $r['body']['id'] );
				++$counts['created'];
			} elseif ( self::email_taken( $r ) ) {
				$taken[] = $user;
			} else {
				++$counts['failed'];
				$rows[] = self::row( $user, 'failed', (string) ( $r['message'] ?? '' ) );
			}
		}
		// The address already has a WorkOS user: link it only if WorkOS has
		// verified that mailbox and nobody here is linked to it.
		$found = self::batched(
			$taken,
			static function ( array $chunk, int $concurrency ): array {
				$filters = array_map(
					static function ( \WP_User $u ) {
						return array( 'email' => $u->user_email );
					},
					$chunk
				);
				return Api::client()->listUsersMany( $filters, $concurrency );
			},
			$assoc
		);
		foreach ( $taken as $i => $user ) {
			$match = $found[ $i ]['ok'] ? ( $found[ $i ]['body']['data'][0] ?? null ) : null;
			if ( ! is_array( $match ) ) {
				++$counts['failed'];
				$rows[] = self::row( $user, 'failed', (string) ( $found[ $i ]['message'] ?? 'not found' ) );
			} elseif ( true !== ( $match['email_verified'] ?? null ) ) {
				++$counts['skipped'];
				$rows[] = self::row( $user, 'skipped', 'the WorkOS user with this email is not verified' );
			} elseif ( null === EmailKey::of( $user->user_email ) || EmailKey::of( $match['email'] ?? null ) !== EmailKey::of( $user->user_email ) ) {
				// WorkOS's search is not ours to trust: only the exact same mailbox links.
				++$counts['skipped'];
				$rows[] = self::row( $user, 'skipped', 'the WorkOS user found has a different email address' );
			} elseif ( Users::find_linked( (string) $match['id'] ) ) {
				++$counts['skipped'];
				$rows[] = self::row( $user, 'skipped', 'that WorkOS user is linked to another account' );
			} else {
				Users::link( $user, (string) $match['id'] );
				++$counts['linked'];
			}
		}
		Log::event( 'sync_push', $counts );
		return new Result(
			$rows,
			$rows ? array( 'ID', 'user_email', 'result', 'reason' ) : array(),
			// Then the reference plugin's summary, which its users' scripts read.
			sprintf( 'Pushed %d user(s): %d created, %d linked to existing WorkOS users, %d skipped, %d failed in %.1f s. %d synced, %d failed, %d skipped.', count( $users ), $counts['created'], $counts['linked'], $counts['skipped'], $counts['failed'], microtime( true ) - $started, $counts['created'] + $counts['linked'], $counts['failed'], $counts['skipped'] )
		);
	}

	/**
	 * Pull: every linked user is refreshed from WorkOS (email, names).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options: limit, concurrency, dry-run.
	 */
	public static function pull( array $args, array $assoc ): Result {
		$users = get_users(
			array(
				'number'   => Options::limit( $assoc, 1000 ),
				'orderby'  => 'ID',
				'meta_key' => Users::META_ID, // phpcs:ignore WordPress.DB.SlowDBQuery
			)
		);
		if ( ! empty( $assoc['dry-run'] ) ) {
			return new Result( array(), array(), sprintf( 'Dry run: %d linked user(s) would be refreshed (nothing changed).', count( $users ) ) );
		}
		$started = microtime( true );
		$fetched = self::batched(
			$users,
			static function ( array $chunk, int $concurrency ): array {
				$ids = array_map(
					static function ( \WP_User $u ) {
						return (string) get_user_meta( $u->ID, Users::META_ID, true );
					},
					$chunk
				);
				return Api::client()->getUsersMany( $ids, $concurrency );
			},
			$assoc
		);
		$updated = 0;
		$rows    = array();
		foreach ( $users as $i => $user ) {
			$r      = $fetched[ $i ];
			$result = $r['ok'] && is_array( $r['body'] ) ? Users::sync( $r['body'] ) : null;
			if ( $result instanceof \WP_User ) {
				++$updated;
			} else {
				$rows[] = self::row( $user, 'failed', is_wp_error( $result ) ? $result->get_error_message() : (string) ( $r['message'] ?? '' ) );
			}
		}
		return new Result(
			$rows,
			$rows ? array( 'ID', 'user_email', 'result', 'reason' ) : array(),
			sprintf( 'Pulled %d user(s): %d refreshed, %d failed in %.1f s. %d synced, %d failed, 0 skipped.', count( $users ), $updated, count( $rows ), microtime( true ) - $started, $updated, count( $rows ) )
		);
	}

	/**
	 * Runs one WorkOS call per item through a bulk method of the client
	 * (one result per item, in order), a batch at a time.
	 *
	 * @param array    $items Items.
	 * @param callable $run   (items of a batch, concurrency) → their results.
	 * @param array    $assoc Options (concurrency).
	 * @return array Results, by item index.
	 */
	private static function batched( array $items, callable $run, array $assoc ): array {
		$concurrency = isset( $assoc['concurrency'] ) ? (int) $assoc['concurrency'] : 8;
		if ( $concurrency < 1 || $concurrency > 32 ) {
			throw new CommandError( '--concurrency must be between 1 and 32.' );
		}
		$items   = array_values( $items );
		$results = array();
		foreach ( array_chunk( $items, self::BATCH ) as $chunk ) {
			try {
				$results = array_merge( $results, $run( $chunk, $concurrency ) );
			} catch ( \WorkOS\Native\Exception $e ) {
				throw CommandError::from_workos( $e );
			}
			if ( self::$progress ) {
				( self::$progress )( count( $results ), count( $items ) );
			}
		}
		return $results;
	}

	/**
	 * Whether a create failed because the email already has a WorkOS user.
	 *
	 * @param array $r Result.
	 */
	private static function email_taken( array $r ): bool {
		if ( $r['ok'] ) {
			return false;
		}
		if ( 409 === ( $r['status'] ?? 0 ) ) {
			return true;
		}
		foreach ( (array) ( $r['body']['errors'] ?? array() ) as $e ) {
			if ( 'email_not_available' === ( $e['code'] ?? '' ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A report row.
	 *
	 * @param \WP_User $user   User.
	 * @param string   $result Result.
	 * @param string   $reason Why.
	 */
	private static function row( \WP_User $user, string $result, string $reason ): array {
		return array(
			'ID'         => $user->ID,
			'user_email' => $user->user_email,
			'result'     => $result,
			'reason'     => $reason,
		);
	}
}
