<?php
/**
 * Users → Profile: the "Two-step sign-in" section where a person lists,
 * adds and removes their own second factors.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Settings;
use WorkOS_WP\SignIn\Hosted\FactorsRest;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Loaded on profile.php only (a person's own profile: their factors are
 * theirs to manage, and the API acts only for the signed-in person), and
 * only for an account linked to a WorkOS user on a configured site.
 *
 * The factors live at WorkOS, so the page itself makes no WorkOS call: it
 * prints an empty section which the account script (php-shim/js/account,
 * factors.js) fills from GET /workos/v1/auth/mfa/factors and drives
 * through FactorsRest (WordPress REST nonce).
 */
final class FactorsSection {

	/**
	 * load-profile.php.
	 */
	public static function load(): void {
		$user_id = get_current_user_id();
		if ( ! $user_id || ! extension_ready() || ! Settings::is_configured() || '' === EmailChange::linked_id( $user_id ) ) {
			return; // Not WorkOS's (or WorkOS not set up): nothing to manage here.
		}
		// After the WorkOS panel (5), before Passkeys (20).
		add_action( 'show_user_profile', array( self::class, 'render' ), 15 );
		// The account script (shared with the panel; enqueuing it twice is harmless).
		add_action( 'admin_enqueue_scripts', array( ProfilePanel::class, 'enqueue' ) );
	}

	/**
	 * show_user_profile: the section.
	 *
	 * @param \WP_User $user The user (always the current one on profile.php).
	 */
	public static function render( $user ): void {
		if ( ! $user instanceof \WP_User || get_current_user_id() !== $user->ID ) {
			return;
		}
		$config = array(
			'restBase' => rest_url( 'workos/v1/auth/mfa/' ),
			'nonce'    => wp_create_nonce( 'wp_rest' ),
			// Which kinds may be added (some Login Profile allows them); any kind may be removed.
			'offer'    => FactorsRest::offered(),
		);
		?>
		<h2 id="workos-factors-heading"><?php esc_html_e( 'Two-step sign-in', 'workos' ); ?></h2>
		<p class="description workos-factors-intro">
			<?php esc_html_e( 'A second step after your password: a code from an authenticator app on your phone, or one sent to you by text message. Where this site asks for one, you choose which.', 'workos' ); ?>
		</p>
		<div id="workos-factors" class="workos-factors" data-config="<?php echo esc_attr( (string) wp_json_encode( $config ) ); ?>">
			<p class="workos-factors-loading"><?php esc_html_e( 'Loading your second factors…', 'workos' ); ?></p>
			<noscript><p class="description"><?php esc_html_e( 'Managing your second factors needs JavaScript.', 'workos' ); ?></p></noscript>
		</div>
		<?php
	}
}
