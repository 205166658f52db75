<?php
/**
 * Users screen (users.php): who is linked to WorkOS, and the actions on it.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Api;
use WorkOS_WP\Log;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\AccountLock;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\UserMeta;
use WorkOS_WP\Users\Users;

use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Adds to WordPress's Users screen:
 *
 * - a "WorkOS" column: Linked, Directory-managed, Deactivated or Not linked,
 *   with the WorkOS id in small text (read from usermeta, which the list
 *   table has already loaded: no extra query per row);
 * - row actions Link by verified email, Unlink, Sync from WorkOS,
 *   Deactivate and Reactivate, each a GET link with its own nonce, checked
 *   (with the capability) before anything changes;
 * - a bulk action "Sync with WorkOS" (WordPress checks the list's nonce);
 * - an "Out of sync" view.
 *
 * Out of sync, cheaply: WorkOS is never asked while the list is shown.
 * Each time WorkOS *is* asked about a user (Sync, Link, the bulk action, or
 * the "Check linked users now" button of the view, which asks about every
 * linked user in parallel batches), what it answered is compared with the
 * WordPress account and, when they differ or WorkOS no longer knows the
 * user, the difference and WorkOS's values are kept in one usermeta
 * (UserMeta::OUT_OF_SYNC). The view lists the users holding it. Each
 * screen load re-compares those few against the accounts as they are now
 * (no WorkOS call), so an account fixed meanwhile leaves the view; a change
 * made at WorkOS after the last check shows only after the next one.
 *
 * Loaded only on users.php (`load-users.php`).
 */
final class UsersList {

	/** The row actions (also their nonce actions, with `_<user id>`). */
	public const ROW_ACTIONS = array( 'workos_link', 'workos_unlink', 'workos_sync', 'workos_deactivate', 'workos_reactivate' );

	/** The bulk action's name. */
	public const BULK_SYNC = 'workos_bulk_sync';

	/** The "check linked users now" action (and its nonce action). */
	public const CHECK = 'workos_check';

	/** The view's query argument and value. */
	public const VIEW_ARG = 'workos_view';
	public const VIEW     = 'out_of_sync';

	/** Most users asked about by one click of "Check linked users now". */
	public const CHECK_LIMIT = 1000;

	/** Users asked about at once (the client paces them to WorkOS's limits). */
	private const CONCURRENCY = 8;

	/** The deactivation reason an administrator's action records. */
	public const REASON = 'admin';

	/**
	 * load-users.php: runs a requested action (and redirects), or adds the
	 * column, actions, view and notices to the list.
	 */
	public static function load(): void {
		if ( is_network_admin() ) {
			return; // The network's user list has no site roles to withdraw; the site screens do it.
		}
		self::handle_request();
		add_filter( 'manage_users_columns', array( self::class, 'columns' ) );
		add_filter( 'manage_users_custom_column', array( self::class, 'column' ), 10, 3 );
		add_filter( 'user_row_actions', array( self::class, 'row_actions' ), 10, 2 );
		add_filter( 'bulk_actions-users', array( self::class, 'bulk_actions' ) );
		add_filter( 'handle_bulk_actions-users', array( self::class, 'handle_bulk' ), 10, 3 );
		add_filter( 'views_users', array( self::class, 'views' ) );
		add_filter( 'users_list_table_query_args', array( self::class, 'query_args' ) );
		add_action( 'admin_notices', array( self::class, 'notices' ) );
		add_action( 'admin_head', array( self::class, 'styles' ) );
		add_filter( 'removable_query_args', array( self::class, 'removable_query_args' ) );
		// Comparing addresses takes the extension (EmailKey); without it the markers wait.
		if ( current_user_can( 'list_users' ) && extension_ready() ) {
			self::revalidate();
		}
	}

	/**
	 * A row action or the check, when asked: nonce and capability first
	 * (403 otherwise), then the work, then back to the list with the result.
	 * Runs before users.php's own checks, so it checks everything itself.
	 */
	private static function handle_request(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the nonce is checked below, per action.
		$action = isset( $_REQUEST['action'] ) ? sanitize_key( wp_unslash( $_REQUEST['action'] ) ) : '';
		if ( self::CHECK === $action ) {
			check_admin_referer( self::CHECK );
			if ( ! current_user_can( 'list_users' ) || ! current_user_can( 'edit_users' ) ) {
				self::forbidden();
			}
			self::finish( self::check_all() + array( 'view' => self::VIEW ) );
		}
		if ( ! in_array( $action, self::ROW_ACTIONS, true ) ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked on the next line.
		$user_id = isset( $_REQUEST['user'] ) ? absint( $_REQUEST['user'] ) : 0;
		check_admin_referer( $action . '_' . $user_id );
		$user = $user_id ? get_userdata( $user_id ) : false;
		if ( ! $user || ! current_user_can( 'list_users' ) || ! current_user_can( self::capability( $action ), $user_id ) || ! current_user_can( 'edit_user', $user_id ) ) {
			self::forbidden();
		}
		switch ( $action ) {
			case 'workos_link':
				$result = self::link( $user );
				break;
			case 'workos_unlink':
				$result = self::unlink( $user );
				break;
			case 'workos_sync':
				$result = self::sync( $user );
				break;
			case 'workos_deactivate':
				$result = self::deactivate( $user );
				break;
			default:
				$result = self::reactivate( $user );
		}
		self::finish(
			array(
				'result' => $result,
				'user'   => $user->ID,
			)
		);
	}

	/**
	 * The capability an action needs besides `edit_user` of that user: who
	 * may sign in as the account (link, unlink, deactivate, reactivate) is
	 * as sensitive as its role, so those need `promote_users`; refreshing
	 * the profile from WorkOS needs only `edit_user`.
	 *
	 * @param string $action One of ROW_ACTIONS.
	 */
	public static function capability( string $action ): string {
		return 'workos_sync' === $action ? 'edit_users' : 'promote_users';
	}

	/**
	 * Refuses with WordPress's own words and a 403.
	 */
	private static function forbidden(): void {
		wp_die( esc_html__( 'Sorry, you are not allowed to edit this user.', 'workos' ), '', array( 'response' => 403 ) );
	}

	/**
	 * Back to the list (the view kept) with the result in the URL, read by
	 * notices(): codes and counts only, never text from the request.
	 *
	 * @param array $args Query arguments (result codes and counts).
	 */
	private static function finish( array $args ): void {
		$view = isset( $args['view'] ) ? $args['view'] : self::current_view();
		unset( $args['view'] );
		$query = array();
		foreach ( $args as $key => $value ) {
			$query[ 'workos_' . $key ] = $value;
		}
		if ( '' !== $view ) {
			$query[ self::VIEW_ARG ] = $view;
		}
		// Back to the list as it was (search, page, role), when the request came from it.
		$back = (string) wp_get_referer();
		$list = admin_url( 'users.php' );
		$back = 0 === strpos( $back, $list ) ? remove_query_arg( array_merge( self::removable_query_args( array() ), array( 'action', 'user', '_wpnonce', self::VIEW_ARG ) ), $back ) : $list;
		wp_safe_redirect( add_query_arg( $query, $back ) );
		exit;
	}

	/**
	 * The view asked for ('' or VIEW).
	 */
	private static function current_view(): string {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only: which view is shown.
		return isset( $_REQUEST[ self::VIEW_ARG ] ) && self::VIEW === $_REQUEST[ self::VIEW_ARG ] ? self::VIEW : '';
	}

	/**
	 * Whether WorkOS can be asked at all.
	 */
	private static function can_ask(): bool {
		return extension_ready() && Settings::is_configured();
	}

	/**
	 * Links an unlinked account to the WorkOS user with the same address,
	 * only if WorkOS says that address is verified (an unverified address
	 * proves nothing about who owns the mailbox), only if no other account
	 * holds that WorkOS user, and only if no other WordPress account shares
	 * the address. Under the address's AccountLock, as sign-in links.
	 *
	 * @param \WP_User $user The account.
	 * @return string Result code.
	 */
	public static function link( \WP_User $user ): string {
		if ( '' !== (string) get_user_meta( $user->ID, UserMeta::USER_ID, true ) ) {
			return 'already_linked';
		}
		if ( ! self::can_ask() ) {
			return 'unavailable';
		}
		$key = EmailKey::of( $user->user_email );
		if ( null === $key ) {
			return 'link_bad_email';
		}
		try {
			$page = Api::client()->listUsers( array( 'email' => $key ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return 'unreachable';
		}
		$same = array_values(
			array_filter(
				(array) ( $page['data'] ?? array() ),
				static fn( $u ): bool => is_array( $u ) && EmailKey::of( $u['email'] ?? null ) === $key
			)
		);
		if ( ! $same ) {
			return 'link_none';
		}
		$verified = array_values( array_filter( $same, static fn( array $u ): bool => true === ( $u['email_verified'] ?? null ) ) );
		if ( ! $verified ) {
			Log::event(
				'link_refused',
				array(
					'user_id'   => $user->ID,
					'workos_id' => (string) ( $same[0]['id'] ?? '' ),
					'reason'    => 'email_not_verified',
				)
			);
			return 'link_unverified';
		}
		$remote = $verified[0];
		$id     = is_string( $remote['id'] ?? null ) ? $remote['id'] : '';
		return AccountLock::run(
			AccountLock::email( $key ),
			static function () use ( $user, $remote, $id, $key ): string {
				$other = Users::find_linked( $id );
				if ( '' === $id || ( $other && $other->ID !== $user->ID ) ) {
					return 'link_taken';
				}
				$owner = Users::find_by_email( $key );
				if ( is_wp_error( $owner ) || ( $owner && $owner->ID !== $user->ID ) ) {
					return 'link_ambiguous';
				}
				Users::link( $user, $id );
				// Now WorkOS's account: its names (and verified address) come from there.
				self::apply( $user, $remote );
				return 'linked';
			}
		);
	}

	/**
	 * Removes the account's WorkOS user link (a directory link stays: the
	 * directory sets it again on its next event).
	 *
	 * @param \WP_User $user The account.
	 * @return string Result code.
	 */
	public static function unlink( \WP_User $user ): string {
		$was = (string) get_user_meta( $user->ID, UserMeta::USER_ID, true );
		if ( '' === $was ) {
			return 'not_linked';
		}
		delete_user_meta( $user->ID, UserMeta::USER_ID ); // The links table follows (see on_user_meta_deleted()).
		delete_user_meta( $user->ID, UserMeta::OUT_OF_SYNC );
		Log::event(
			'user_unlinked',
			array(
				'user_id'   => $user->ID,
				'workos_id' => $was,
				'by'        => get_current_user_id(),
			)
		);
		return 'unlinked';
	}

	/**
	 * Refreshes the account's email and names from WorkOS (Users::sync: a
	 * verified address only, one no other account uses).
	 *
	 * @param \WP_User $user The account.
	 * @return string Result code.
	 */
	public static function sync( \WP_User $user ): string {
		$id = (string) get_user_meta( $user->ID, UserMeta::USER_ID, true );
		if ( '' === $id ) {
			return '' !== (string) get_user_meta( $user->ID, UserMeta::DIRECTORY_USER_ID, true ) ? 'sync_directory' : 'not_linked';
		}
		if ( ! self::can_ask() ) {
			return 'unavailable';
		}
		try {
			$remote = Api::client()->getUser( $id );
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( 404 === $e->getStatus() ) {
				self::record_missing( $user->ID );
				return 'missing';
			}
			return 'unreachable';
		} catch ( \WorkOS\Native\Exception $e ) {
			return 'unreachable';
		}
		return self::apply( $user, $remote );
	}

	/**
	 * Applies what WorkOS answered about a linked user and records what
	 * still differs.
	 *
	 * @param \WP_User $user   The account.
	 * @param array    $remote WorkOS's user object.
	 * @return string Result code: synced, or sync_refused (e.g. the address is another account's).
	 */
	private static function apply( \WP_User $user, array $remote ): string {
		$result = Users::sync( $remote );
		$now    = get_userdata( $user->ID );
		self::record( $user->ID, $remote, $now ? $now : $user );
		return $result instanceof \WP_User ? 'synced' : 'sync_refused';
	}

	/**
	 * Deactivates the account: sessions end, roles and application
	 * passwords are withdrawn (Users::end_sessions()), no sign-in by any path.
	 *
	 * @param \WP_User $user The account.
	 * @return string Result code.
	 */
	public static function deactivate( \WP_User $user ): string {
		if ( get_current_user_id() === $user->ID ) {
			return 'self';
		}
		if ( Users::is_deactivated( $user->ID ) ) {
			return 'already_deactivated';
		}
		update_user_meta( $user->ID, UserMeta::DEACTIVATED, self::REASON );
		Log::event(
			'user_deactivated',
			array(
				'user_id' => $user->ID,
				'reason'  => self::REASON,
				'by'      => get_current_user_id(),
			)
		);
		return 'deactivated';
	}

	/**
	 * Lifts a deactivation, whoever made it (as `wp workos user reactivate`):
	 * the roles come back (Users::restore_access()).
	 *
	 * @param \WP_User $user The account.
	 * @return string Result code.
	 */
	public static function reactivate( \WP_User $user ): string {
		if ( ! Users::is_deactivated( $user->ID ) ) {
			return 'not_deactivated';
		}
		delete_user_meta( $user->ID, UserMeta::DEACTIVATED );
		Users::restore_access( $user->ID );
		Log::event(
			'user_reactivated',
			array(
				'user_id' => $user->ID,
				'reason'  => self::REASON,
				'by'      => get_current_user_id(),
			)
		);
		return 'reactivated';
	}

	/**
	 * bulk_actions-users: "Sync with WorkOS".
	 *
	 * @param array $actions Bulk actions.
	 */
	public static function bulk_actions( $actions ): array {
		$actions = is_array( $actions ) ? $actions : array();
		if ( current_user_can( 'edit_users' ) ) {
			$actions[ self::BULK_SYNC ] = __( 'Sync with WorkOS', 'workos' );
		}
		return $actions;
	}

	/**
	 * handle_bulk_actions-users (WordPress has checked the list's nonce):
	 * every chosen linked user the admin may edit is refreshed from WorkOS,
	 * in parallel batches; the others are counted as skipped.
	 *
	 * @param string $sendback Where to go back to.
	 * @param string $action   The bulk action.
	 * @param array  $ids      Chosen user ids.
	 */
	public static function handle_bulk( $sendback, $action, $ids ) {
		if ( self::BULK_SYNC !== $action ) {
			return $sendback;
		}
		$counts = array(
			'synced'  => 0,
			'failed'  => 0,
			'skipped' => 0,
			'missing' => 0,
		);
		$users  = array();
		foreach ( array_unique( array_map( 'absint', (array) $ids ) ) as $id ) {
			$user = get_userdata( $id );
			if ( ! $user || ! current_user_can( 'edit_user', $id ) || '' === (string) get_user_meta( $id, UserMeta::USER_ID, true ) ) {
				++$counts['skipped'];
				continue;
			}
			$users[] = $user;
		}
		if ( $users && ! self::can_ask() ) {
			$counts['failed'] += count( $users );
			$users             = array();
		}
		foreach ( self::ask_many( $users ) as $i => $answer ) {
			$user = $users[ $i ];
			if ( $answer['ok'] && is_array( $answer['body'] ) ) {
				++$counts[ 'synced' === self::apply( $user, $answer['body'] ) ? 'synced' : 'failed' ];
			} elseif ( 404 === (int) ( $answer['status'] ?? 0 ) ) {
				self::record_missing( $user->ID );
				++$counts['missing'];
			} else {
				++$counts['failed'];
			}
		}
		$query = array( 'workos_result' => 'bulk_synced' );
		foreach ( $counts as $key => $n ) {
			$query[ 'workos_' . $key ] = $n;
		}
		$sendback = remove_query_arg( array( 'workos_result', 'workos_user', 'workos_synced', 'workos_failed', 'workos_skipped', 'workos_missing', 'workos_checked', 'workos_differ' ), (string) $sendback );
		return add_query_arg( $query, '' !== $sendback ? $sendback : admin_url( 'users.php' ) );
	}

	/**
	 * "Check linked users now": asks WorkOS about every linked user (up to
	 * CHECK_LIMIT, in parallel batches), records what differs, changes
	 * nothing.
	 *
	 * @return array Result code and counts.
	 */
	private static function check_all(): array {
		if ( ! self::can_ask() ) {
			return array( 'result' => 'unavailable' );
		}
		$users   = get_users(
			array(
				'number'   => self::CHECK_LIMIT,
				'orderby'  => 'ID',
				'meta_key' => UserMeta::USER_ID, // phpcs:ignore WordPress.DB.SlowDBQuery
			)
		);
		$counts  = array(
			'checked' => 0,
			'differ'  => 0,
			'missing' => 0,
			'failed'  => 0,
		);
		foreach ( self::ask_many( $users ) as $i => $answer ) {
			$user = $users[ $i ];
			if ( $answer['ok'] && is_array( $answer['body'] ) ) {
				++$counts['checked'];
				if ( self::record( $user->ID, $answer['body'] ) ) {
					++$counts['differ'];
				}
			} elseif ( 404 === (int) ( $answer['status'] ?? 0 ) ) {
				++$counts['checked'];
				++$counts['missing'];
				self::record_missing( $user->ID );
			} else {
				++$counts['failed'];
			}
		}
		return array( 'result' => 'checked' ) + $counts;
	}

	/**
	 * getUsersMany() for linked users, in order; an empty list asks nothing.
	 *
	 * @param \WP_User[] $users Linked users.
	 * @return array One answer per user.
	 */
	private static function ask_many( array $users ): array {
		if ( ! $users ) {
			return array();
		}
		$ids = array_map( static fn( \WP_User $u ): string => (string) get_user_meta( $u->ID, UserMeta::USER_ID, true ), $users );
		try {
			return array_values( Api::client()->getUsersMany( $ids, self::CONCURRENCY ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return array_fill( 0, count( $users ), array( 'ok' => false ) );
		}
	}

	/**
	 * Which of email, first_name, last_name differ between the account and
	 * WorkOS's values (a name WorkOS does not have is no difference: sync
	 * would not change it either).
	 *
	 * @param array $local  The account's `email`, `first_name`, `last_name` (see local()).
	 * @param array $remote WorkOS's email, first_name, last_name.
	 * @return string[] The fields that differ.
	 */
	public static function differences( array $local, array $remote ): array {
		$fields = array();
		if ( isset( $remote['email'] ) && EmailKey::of( $remote['email'] ) !== EmailKey::of( (string) ( $local['email'] ?? '' ) ) ) {
			$fields[] = 'email';
		}
		foreach ( array( 'first_name', 'last_name' ) as $field ) {
			if ( isset( $remote[ $field ] ) && sanitize_text_field( (string) $remote[ $field ] ) !== (string) ( $local[ $field ] ?? '' ) ) {
				$fields[] = $field;
			}
		}
		return $fields;
	}

	/**
	 * The account's fields that differences() compares.
	 *
	 * @param \WP_User $user The account.
	 */
	private static function local( \WP_User $user ): array {
		return array(
			'email'      => $user->user_email,
			'first_name' => $user->first_name,
			'last_name'  => $user->last_name,
		);
	}

	/**
	 * Keeps (or clears) the out-of-sync marker after WorkOS answered.
	 *
	 * @param int           $user_id The account.
	 * @param array         $remote  WorkOS's user object.
	 * @param \WP_User|null $user    The account as it is now (default: loaded).
	 * @return bool Whether it differs.
	 */
	private static function record( int $user_id, array $remote, ?\WP_User $user = null ): bool {
		$user = $user ? $user : get_userdata( $user_id );
		if ( ! $user ) {
			return false;
		}
		$workos = array(
			'email'          => is_string( $remote['email'] ?? null ) ? $remote['email'] : null,
			'email_verified' => true === ( $remote['email_verified'] ?? null ),
			'first_name'     => is_string( $remote['first_name'] ?? null ) ? $remote['first_name'] : null,
			'last_name'      => is_string( $remote['last_name'] ?? null ) ? $remote['last_name'] : null,
		);
		$fields = self::differences( self::local( $user ), $workos );
		if ( ! $fields ) {
			delete_user_meta( $user_id, UserMeta::OUT_OF_SYNC );
			return false;
		}
		update_user_meta(
			$user_id,
			UserMeta::OUT_OF_SYNC,
			array(
				'fields' => $fields,
				'workos' => $workos,
				'at'     => time(),
			)
		);
		return true;
	}

	/**
	 * Marks an account whose WorkOS user no longer exists.
	 *
	 * @param int $user_id The account.
	 */
	private static function record_missing( int $user_id ): void {
		update_user_meta(
			$user_id,
			UserMeta::OUT_OF_SYNC,
			array(
				'missing' => true,
				'at'      => time(),
			)
		);
	}

	/**
	 * Re-compares the marked accounts with WorkOS's values as last seen (no
	 * WorkOS call; one query for all of them): those that agree now (fixed
	 * here, or unlinked) leave the view.
	 */
	private static function revalidate(): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- one read of every marker with the fields it is compared with.
		$rows = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT m.user_id, m.meta_value AS marker, u.user_email AS email, f.meta_value AS first_name, l.meta_value AS last_name, w.meta_value AS workos_id
				FROM {$wpdb->usermeta} m
				JOIN {$wpdb->users} u ON u.ID = m.user_id
				LEFT JOIN {$wpdb->usermeta} f ON f.user_id = m.user_id AND f.meta_key = 'first_name'
				LEFT JOIN {$wpdb->usermeta} l ON l.user_id = m.user_id AND l.meta_key = 'last_name'
				LEFT JOIN {$wpdb->usermeta} w ON w.user_id = m.user_id AND w.meta_key = %s
				WHERE m.meta_key = %s",
				UserMeta::USER_ID,
				UserMeta::OUT_OF_SYNC
			),
			ARRAY_A
		);
		foreach ( (array) $rows as $row ) {
			$marker = maybe_unserialize( $row['marker'] );
			$stale  = ! is_array( $marker ) || '' === (string) $row['workos_id']
				|| ( empty( $marker['missing'] ) && ! self::differences( $row, (array) ( $marker['workos'] ?? array() ) ) );
			if ( $stale ) {
				delete_user_meta( (int) $row['user_id'], UserMeta::OUT_OF_SYNC );
			}
		}
	}

	/**
	 * manage_users_columns: the WorkOS column, before the post count.
	 *
	 * @param array $columns Columns.
	 */
	public static function columns( $columns ): array {
		$columns = is_array( $columns ) ? $columns : array();
		$out     = array();
		foreach ( $columns as $key => $label ) {
			if ( 'posts' === $key ) {
				$out['workos'] = __( 'WorkOS', 'workos' );
			}
			$out[ $key ] = $label;
		}
		if ( ! isset( $out['workos'] ) ) {
			$out['workos'] = __( 'WorkOS', 'workos' );
		}
		return $out;
	}

	/**
	 * The account's WorkOS state: `linked`, `directory`, `deactivated` or
	 * `unlinked` (deactivated wins: it is what decides whether they sign in).
	 *
	 * @param int $user_id The account.
	 */
	public static function state( int $user_id ): string {
		if ( Users::is_deactivated( $user_id ) ) {
			return 'deactivated';
		}
		if ( '' !== (string) get_user_meta( $user_id, UserMeta::DIRECTORY_USER_ID, true ) ) {
			return 'directory';
		}
		return '' !== (string) get_user_meta( $user_id, UserMeta::USER_ID, true ) ? 'linked' : 'unlinked';
	}

	/**
	 * The words of each state.
	 */
	private static function state_labels(): array {
		return array(
			'linked'      => __( 'Linked', 'workos' ),
			'directory'   => __( 'Directory-managed', 'workos' ),
			'deactivated' => __( 'Deactivated', 'workos' ),
			'unlinked'    => __( 'Not linked', 'workos' ),
		);
	}

	/**
	 * manage_users_custom_column: the WorkOS cell.
	 *
	 * @param string $output  Cell so far.
	 * @param string $column  Column.
	 * @param int    $user_id The row's user.
	 */
	public static function column( $output, $column, $user_id ) {
		if ( 'workos' !== $column ) {
			return $output;
		}
		$user_id = (int) $user_id;
		$state   = self::state( $user_id );
		$html    = sprintf( '<span class="workos-state workos-state-%1$s">%2$s</span>', esc_attr( $state ), esc_html( self::state_labels()[ $state ] ) );
		$ids     = array(
			__( 'WorkOS user', 'workos' )    => (string) get_user_meta( $user_id, UserMeta::USER_ID, true ),
			__( 'Directory user', 'workos' ) => (string) get_user_meta( $user_id, UserMeta::DIRECTORY_USER_ID, true ),
		);
		foreach ( $ids as $label => $id ) {
			if ( '' !== $id ) {
				$html .= sprintf( '<br><span class="workos-id" title="%1$s"><span class="screen-reader-text">%1$s: </span>%2$s</span>', esc_attr( $label ), esc_html( $id ) );
			}
		}
		if ( 'deactivated' === $state ) {
			$html .= '<br><span class="workos-note">' . esc_html( self::deactivation_reason( (string) get_user_meta( $user_id, UserMeta::DEACTIVATED, true ) ) ) . '</span>';
		}
		$marker = get_user_meta( $user_id, UserMeta::OUT_OF_SYNC, true );
		if ( is_array( $marker ) ) {
			$html .= '<br><span class="workos-out-of-sync">' . esc_html( self::marker_text( $marker ) ) . '</span>';
		}
		$workos_id = $ids[ __( 'WorkOS user', 'workos' ) ];
		if ( '' !== $workos_id ) {
			/**
			 * Links under the WorkOS column of a linked user (the reference
			 * plugin's filter; our own actions are the row's, so the list
			 * starts empty). Each value is HTML, kept to what a post may hold.
			 *
			 * @param array<string,string> $actions   Slug => HTML.
			 * @param int                  $user_id   The row's user.
			 * @param string               $workos_id Its WorkOS user id.
			 */
			$extra = apply_filters( 'workos_user_list_column_actions', array(), $user_id, $workos_id );
			$links = array();
			foreach ( is_array( $extra ) ? $extra : array() as $slug => $link ) {
				if ( is_string( $link ) && '' !== trim( $link ) ) {
					$links[] = sprintf( '<span class="%1$s">%2$s</span>', esc_attr( sanitize_html_class( (string) $slug ) ), wp_kses_post( $link ) );
				}
			}
			if ( $links ) {
				$html .= '<div class="workos-column-actions">' . implode( ' | ', $links ) . '</div>';
			}
		}
		return $html;
	}

	/**
	 * Who deactivated the account, in words.
	 *
	 * @param string $reason The stored reason.
	 */
	private static function deactivation_reason( string $reason ): string {
		switch ( $reason ) {
			case self::REASON:
				return __( 'by an administrator', 'workos' );
			case 'cli':
				return __( 'from the command line', 'workos' );
			default:
				/* translators: %s: the reason stored with the deactivation, e.g. user.deleted. */
				return sprintf( __( 'reason: %s', 'workos' ), $reason );
		}
	}

	/**
	 * What the out-of-sync marker says, in words.
	 *
	 * @param array $marker The marker.
	 */
	private static function marker_text( array $marker ): string {
		if ( ! empty( $marker['missing'] ) ) {
			return __( 'Out of sync: WorkOS no longer has this user', 'workos' );
		}
		$names = array(
			'email'      => __( 'email', 'workos' ),
			'first_name' => __( 'first name', 'workos' ),
			'last_name'  => __( 'last name', 'workos' ),
		);
		$list  = array();
		foreach ( (array) ( $marker['fields'] ?? array() ) as $field ) {
			$list[] = $names[ $field ] ?? (string) $field;
		}
		$text = sprintf(
			/* translators: %s: the fields that differ, e.g. "email, last name". */
			__( 'Out of sync: %s', 'workos' ),
			implode( ', ', $list )
		);
		if ( in_array( 'email', $list, true ) && empty( $marker['workos']['email_verified'] ) ) {
			$text .= ' ' . __( '(WorkOS\'s address is not verified, so it is not copied)', 'workos' );
		}
		return $text;
	}

	/**
	 * user_row_actions: the actions that apply to this account and that the
	 * viewer may take.
	 *
	 * @param array    $actions Row actions.
	 * @param \WP_User $user    The row's user.
	 */
	public static function row_actions( $actions, $user ): array {
		$actions = is_array( $actions ) ? $actions : array();
		if ( ! $user instanceof \WP_User || ! current_user_can( 'edit_user', $user->ID ) ) {
			return $actions;
		}
		$linked      = '' !== (string) get_user_meta( $user->ID, UserMeta::USER_ID, true );
		$deactivated = Users::is_deactivated( $user->ID );
		$wanted      = array();
		if ( $linked ) {
			$wanted['workos_sync']   = __( 'Sync from WorkOS', 'workos' );
			$wanted['workos_unlink'] = __( 'Unlink from WorkOS', 'workos' );
		} else {
			$wanted['workos_link'] = __( 'Link by verified email', 'workos' );
		}
		if ( $deactivated ) {
			$wanted['workos_reactivate'] = __( 'Reactivate', 'workos' );
		} elseif ( get_current_user_id() !== $user->ID ) {
			$wanted['workos_deactivate'] = __( 'Deactivate', 'workos' );
		}
		foreach ( $wanted as $action => $label ) {
			if ( ! current_user_can( self::capability( $action ), $user->ID ) ) {
				continue;
			}
			$args               = array(
				'action' => $action,
				'user'   => $user->ID,
			) + ( self::current_view() ? array( self::VIEW_ARG => self::VIEW ) : array() );
			$url                = wp_nonce_url( add_query_arg( $args, admin_url( 'users.php' ) ), $action . '_' . $user->ID );
			$aria               = sprintf( '%1$s: %2$s', $label, $user->user_login );
			$actions[ $action ] = sprintf( '<a href="%1$s" class="%2$s" aria-label="%3$s">%4$s</a>', esc_url( $url ), esc_attr( str_replace( '_', '-', $action ) ), esc_attr( $aria ), esc_html( $label ) );
		}
		return $actions;
	}

	/**
	 * views_users: "Out of sync (n)".
	 *
	 * @param array $views Views.
	 */
	public static function views( $views ): array {
		global $wpdb;
		$views   = is_array( $views ) ? $views : array();
		$count   = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(DISTINCT user_id) FROM {$wpdb->usermeta} WHERE meta_key = %s", UserMeta::OUT_OF_SYNC ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$current = self::VIEW === self::current_view();
		if ( $current ) {
			foreach ( $views as $key => $html ) {
				$views[ $key ] = str_replace( array( ' class="current"', ' aria-current="page"' ), '', $html );
			}
		}
		$views['workos_out_of_sync'] = sprintf(
			'<a href="%1$s"%2$s>%3$s <span class="count">(%4$s)</span></a>',
			esc_url( add_query_arg( self::VIEW_ARG, self::VIEW, admin_url( 'users.php' ) ) ),
			$current ? ' class="current" aria-current="page"' : '',
			esc_html__( 'Out of sync with WorkOS', 'workos' ),
			esc_html( number_format_i18n( $count ) )
		);
		return $views;
	}

	/**
	 * users_list_table_query_args: the view's users only.
	 *
	 * @param array $args WP_User_Query arguments.
	 */
	public static function query_args( $args ): array {
		$args = is_array( $args ) ? $args : array();
		if ( self::VIEW === self::current_view() ) {
			$args['meta_query'] = array( // phpcs:ignore WordPress.DB.SlowDBQuery
				array(
					'key'     => UserMeta::OUT_OF_SYNC,
					'compare' => 'EXISTS',
				),
			);
		}
		return $args;
	}

	/**
	 * admin_notices: what the last action did, and on the view, what it
	 * means and the button that asks WorkOS.
	 */
	public static function notices(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only: codes and counts of a finished action.
		$code = isset( $_GET['workos_result'] ) ? sanitize_key( wp_unslash( $_GET['workos_result'] ) ) : '';
		$nums = array();
		foreach ( array( 'synced', 'failed', 'skipped', 'missing', 'checked', 'differ' ) as $key ) {
			$nums[ $key ] = isset( $_GET[ 'workos_' . $key ] ) ? absint( $_GET[ 'workos_' . $key ] ) : 0;
		}
		$user = isset( $_GET['workos_user'] ) ? get_userdata( absint( $_GET['workos_user'] ) ) : false;
		// phpcs:enable
		if ( '' !== $code ) {
			$message = self::message( $code, $user ? $user->user_login : '', $nums );
			if ( $message ) {
				printf( '<div class="notice notice-%1$s is-dismissible workos-users-notice" data-result="%2$s"><p>%3$s</p></div>', esc_attr( $message[0] ), esc_attr( $code ), esc_html( $message[1] ) );
			}
		}
		if ( self::VIEW === self::current_view() && current_user_can( 'edit_users' ) ) {
			printf(
				'<div class="notice notice-info workos-out-of-sync-help"><p>%1$s</p><form method="post" action="%2$s"><input type="hidden" name="action" value="%3$s">%4$s<p><button type="submit" class="button">%5$s</button></p></form></div>',
				esc_html__( 'Accounts whose email or name differ from WorkOS, or whose WorkOS user no longer exists, as last seen when WorkOS was asked (by Sync, Link, the bulk action or the button below). Showing this list asks WorkOS nothing. The button asks about every linked user now and changes nothing; "Sync from WorkOS" copies WorkOS\'s values here.', 'workos' ),
				esc_url( add_query_arg( self::VIEW_ARG, self::VIEW, admin_url( 'users.php' ) ) ),
				esc_attr( self::CHECK ),
				wp_nonce_field( self::CHECK, '_wpnonce', true, false ), // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- WordPress's escaped field.
				esc_html__( 'Check linked users with WorkOS now', 'workos' )
			);
		}
	}

	/**
	 * A result's notice: [type, text], or null for an unknown code.
	 *
	 * @param string $code  Result code.
	 * @param string $login The account's login ('' when none).
	 * @param int[]  $n     Counts.
	 */
	private static function message( string $code, string $login, array $n ): ?array {
		$texts = array(
			/* translators: %s: user login. */
			'linked'              => array( 'success', __( '%s is now linked to the WorkOS user with the same verified email address.', 'workos' ) ),
			/* translators: %s: user login. */
			'already_linked'      => array( 'info', __( '%s is already linked to WorkOS.', 'workos' ) ),
			/* translators: %s: user login. */
			'link_none'           => array( 'warning', __( 'Not linked: WorkOS has no user with the email address of %s.', 'workos' ) ),
			/* translators: %s: user login. */
			'link_unverified'     => array( 'error', __( 'Not linked: WorkOS has a user with the email address of %s, but that address is not verified there. An unverified address proves nothing about who owns it, so it cannot link accounts. Once the person verifies it (or signs in through WorkOS), try again.', 'workos' ) ),
			/* translators: %s: user login. */
			'link_taken'          => array( 'error', __( 'Not linked: the WorkOS user with the email address of %s is already linked to another account on this site.', 'workos' ) ),
			/* translators: %s: user login. */
			'link_ambiguous'      => array( 'error', __( 'Not linked: another account on this site uses the email address of %s, so it cannot tell which account is this person\'s.', 'workos' ) ),
			/* translators: %s: user login. */
			'link_bad_email'      => array( 'error', __( 'Not linked: the email address of %s cannot be used with WorkOS.', 'workos' ) ),
			/* translators: %s: user login. */
			'unlinked'            => array( 'success', __( '%s is no longer linked to WorkOS. They sign in with their WordPress password (where allowed) until they sign in through WorkOS again, which links them by verified email.', 'workos' ) ),
			/* translators: %s: user login. */
			'not_linked'          => array( 'info', __( '%s is not linked to WorkOS.', 'workos' ) ),
			/* translators: %s: user login. */
			'synced'              => array( 'success', __( '%s was refreshed from WorkOS (email address and name).', 'workos' ) ),
			/* translators: %s: user login. */
			'sync_refused'        => array( 'error', __( '%s could not be refreshed from WorkOS: its email address there is used by another account on this site. Nothing was changed.', 'workos' ) ),
			/* translators: %s: user login. */
			'sync_directory'      => array( 'info', __( '%s is managed by a directory: it is updated by Directory Sync, not from a WorkOS user.', 'workos' ) ),
			/* translators: %s: user login. */
			'missing'             => array( 'warning', __( 'WorkOS no longer has the user %s is linked to. It is listed under "Out of sync with WorkOS"; unlink or deactivate the account.', 'workos' ) ),
			/* translators: %s: user login. */
			'deactivated'         => array( 'success', __( '%s is deactivated: every session has ended, roles and application passwords are withdrawn, and no sign-in works until reactivation.', 'workos' ) ),
			/* translators: %s: user login. */
			'already_deactivated' => array( 'info', __( '%s was already deactivated.', 'workos' ) ),
			/* translators: %s: user login. */
			'reactivated'         => array( 'success', __( '%s is reactivated and has their roles back.', 'workos' ) ),
			/* translators: %s: user login. */
			'not_deactivated'     => array( 'info', __( '%s is not deactivated.', 'workos' ) ),
			'self'                => array( 'error', __( 'You cannot deactivate your own account.', 'workos' ) ),
			'unavailable'         => array( 'error', __( 'WorkOS cannot be asked: the workos extension is not loaded or the API key and client ID are not set. Nothing was changed.', 'workos' ) ),
			'unreachable'         => array( 'error', __( 'WorkOS could not be reached or refused the request. Nothing was changed; try again, or see Tools → WorkOS Diagnostics.', 'workos' ) ),
		);
		if ( 'bulk_synced' === $code ) {
			return array(
				$n['failed'] || $n['missing'] ? 'warning' : 'success',
				/* translators: 1: users refreshed, 2: failed, 3: whose WorkOS user no longer exists, 4: skipped (not linked or not editable). */
				sprintf( __( 'Sync with WorkOS: %1$d refreshed, %2$d failed, %3$d no longer in WorkOS, %4$d skipped (not linked to a WorkOS user).', 'workos' ), $n['synced'], $n['failed'], $n['missing'], $n['skipped'] ),
			);
		}
		if ( 'checked' === $code ) {
			return array(
				$n['failed'] ? 'warning' : 'success',
				/* translators: 1: users checked, 2: that differ, 3: no longer in WorkOS, 4: not answered. */
				sprintf( __( 'Checked %1$d linked users with WorkOS: %2$d differ, %3$d no longer exist there, %4$d could not be checked. Nothing was changed.', 'workos' ), $n['checked'], $n['differ'], $n['missing'], $n['failed'] ),
			);
		}
		if ( ! isset( $texts[ $code ] ) ) {
			return null;
		}
		return array( $texts[ $code ][0], false !== strpos( $texts[ $code ][1], '%s' ) ? sprintf( $texts[ $code ][1], $login ) : $texts[ $code ][1] );
	}

	/**
	 * removable_query_args: the result's arguments leave the address bar
	 * once shown (a reload does not repeat the notice).
	 *
	 * @param array $args Arguments.
	 */
	public static function removable_query_args( $args ): array {
		return array_merge( is_array( $args ) ? $args : array(), array( 'workos_result', 'workos_user', 'workos_synced', 'workos_failed', 'workos_skipped', 'workos_missing', 'workos_checked', 'workos_differ' ) );
	}

	/**
	 * admin_head: the column's few styles.
	 */
	public static function styles(): void {
		echo '<style id="workos-users-css">.column-workos{width:16em}.workos-state{font-weight:600}.workos-state-deactivated{color:#b32d2e}.workos-state-unlinked{color:#50575e;font-weight:400}.workos-id,.workos-note{font-size:12px;color:#50575e;word-break:break-all}.workos-out-of-sync{font-size:12px;color:#8a4b00}</style>';
	}
}
